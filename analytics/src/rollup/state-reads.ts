import type { ClickHouseClient } from "@clickhouse/client";
import { msOfChTime, NO_JIT } from "../query/input.js";
import { tenantCache } from "./tenant-cache.js";

/**
 * The rollup state's reads (`state.ts`), each done again only when what a table it reads holds changed. Every insert
 * writes new blocks (numbered, per table, above all before) and a mutation rewrites parts under a higher data version,
 * while a merge only makes one part of several over the same blocks, with rows every read here gives the same answer
 * from (they re-aggregate: FINAL, DISTINCT, merge states). So per partition, the blocks its parts cover and their
 * highest mutation are the data's version: listed before the reads, they key them. Keyed on the parts' names instead,
 * every merge after an insert (several a minute under ingest, and for a while after a burst) had the next read redo
 * the state, the hot rows and the hot floor for nothing.
 */

/** Every table the state is read from, and those of the compactors' runs (not a tenant's: every tenant's watermarks). */
const STATE_TABLES = ["cycle_rollup_runs", "cycle_touches", "cycle_rollup_pending", "activity_counts_runs", "activity_touches", "cycle_facts_v2", "agent_time_sums_builds", "cycle_rollup", "activity_hourly",
  "agent_load_builds", "presence_touches", "activity_counts_days_builds"];
const RUNS_TABLES = new Set(["cycle_rollup_runs", "activity_counts_runs"]);

/**
 * `facts`: `cycle_facts_v2`'s version (per partition); `rollup`: `cycle_rollup`'s (the compacted rows); `hourly`:
 * `activity_hourly`'s (the hourly id sets). `rewrites`: what of the facts and the touches other than inserts
 * changed (a table made again, a mutation), so touches counted since may no longer say which conversations' facts
 * changed (`hot-rows.ts`). `daysBuilt`: `agent_time_sums_builds` has a row (a table with a row has a part), so the days
 * are there to read; `loadBuilt`: the same for `agent_load_builds` and the workload hours; `countDaysBuilt`: for
 * `activity_counts_days_builds` and the hourly counts' days.
 */
export type StateParts = {
  key: string; runsKey: string; facts: string[]; rollup: string[]; hourly: string[]; rewrites: string; daysBuilt: boolean; loadBuilt: boolean; countDaysBuilt: boolean;
};
/** A version's parts (`readStateParts`): its table's directory and partition, its blocks, their count, its highest mutation. */
const REWRITE_TABLES = new Set(["cycle_facts_v2", "cycle_touches"]);
const rewritesOf = (parts: Array<[string, string]>) =>
  JSON.stringify(parts.filter(([table]) => REWRITE_TABLES.has(table)).map(([table, version]) => { const [where, , , mutation] = version.split(" "); return [table, where, mutation]; }));
/** The compactors' runs: how many finished, and the last one's watermark (the epoch before any: every touch is after it). */
type Runs = { runs: number; watermark: string; lastRunMs: number; countRuns: number; countWatermark: string };
/**
 * `last_run_ms`: the last recorded run's clock (its rows' version). `touches`: by hot conversation, how many touches it
 * has since `touches_since` (the last watermark's minute, or the epoch before any run): an insert into its facts adds
 * one, and nothing else changes them (`hot-rows.ts`). `watermark_ms`: the last recorded run's watermark.
 */
export type StateRow = {
  runs: number; last_run_ms: number; hot: Array<[string, number]>; touches: Record<string, number>; touches_since: string; count_runs: number; hot_hours: string[];
  watermark: string; watermark_ms: number;
};

const lastRuns = new WeakMap<ClickHouseClient, { key: string; runs: Runs }>();
const lastRows = tenantCache<{ key: string; row: StateRow }>();

/** The data versions of the state's tables, per partition of their active parts (~3 ms at 9.7M events). */
export async function readStateParts(client: ClickHouseClient): Promise<StateParts> {
  const result = await client.query({
    // A part's directory is in its table's (named by the table's uuid): a table dropped and created again starts its
    // block numbers over. A part's data version is its first block unless a mutation rewrote it.
    query: `SELECT arraySort(groupArray((table, version))) AS parts FROM (
      SELECT table, concat(any(replaceRegexpOne(path, '[^/]+/?$', '')), partition_id, ' ', toString(min(min_block_number)), '-', toString(max(max_block_number)),
        ' ', toString(sum(max_block_number - min_block_number + 1)), ' ', toString(max(if(data_version > min_block_number, data_version, 0)))) AS version
      FROM system.parts WHERE database = currentDatabase() AND table IN {tables:Array(String)} AND active GROUP BY table, partition_id)`,
    query_params: { tables: STATE_TABLES },
    format: "JSONEachRow", clickhouse_settings: NO_JIT,
  });
  const parts = (await result.json<{ parts: Array<[string, string]> }>())[0]?.parts ?? [];
  const versionsOf = (name: string) => parts.filter(([table]) => table === name).map(([, version]) => version);
  return {
    key: JSON.stringify(parts), runsKey: JSON.stringify(parts.filter(([table]) => RUNS_TABLES.has(table))),
    facts: versionsOf("cycle_facts_v2"), rollup: versionsOf("cycle_rollup"), hourly: versionsOf("activity_hourly"), rewrites: rewritesOf(parts),
    daysBuilt: parts.some(([table]) => table === "agent_time_sums_builds"), loadBuilt: parts.some(([table]) => table === "agent_load_builds"),
    countDaysBuilt: parts.some(([table]) => table === "activity_counts_days_builds"),
  };
}

/** The runs as last read for their parts, or read now: a run every 10 s changes them, every insert of events does not. */
async function runsFor(client: ClickHouseClient, parts: StateParts): Promise<Runs> {
  const last = lastRuns.get(client);
  if (last?.key === parts.runsKey) return last.runs;
  const result = await client.query({
    query: `SELECT (SELECT count() FROM cycle_rollup_runs) AS runs, (SELECT toString(max(watermark)) FROM cycle_rollup_runs) AS watermark,
        (SELECT toUnixTimestamp64Milli(max(ran_at)) FROM cycle_rollup_runs) AS last_run_ms,
        (SELECT count() FROM activity_counts_runs) AS count_runs, (SELECT toString(max(watermark)) FROM activity_counts_runs) AS count_watermark`,
    format: "JSONEachRow", clickhouse_settings: NO_JIT,
  });
  const [row] = await result.json<{ runs: string | number; watermark: string; last_run_ms: string | number; count_runs: string | number; count_watermark: string }>();
  const epoch = "1970-01-01 00:00:00";
  const runs = { runs: Number(row?.runs ?? 0), watermark: row?.watermark ?? epoch, lastRunMs: Number(row?.last_run_ms ?? 0), countRuns: Number(row?.count_runs ?? 0), countWatermark: row?.count_watermark ?? epoch };
  lastRuns.set(client, { key: parts.runsKey, runs });
  return runs;
}

/** A watermark ('YYYY-MM-DD hh:mm:ss.sss') to its minute: the touches counted since change with it once a minute, not every run. */
const minuteOf = (watermark: string) => `${watermark.slice(0, 16)}:00.000`;

/**
 * The tenant's hot cycles, with their conversations' touches since the watermark's minute, and hot hours, with the
 * watermarks as parameters: as scalar subqueries each cost a pipeline of its own before the statement (the state 11.7
 * -> 7.8 ms at 9.7M events).
 */
async function readStateRow(client: ClickHouseClient, tenantId: string, runs: Runs, limits: { limit: number; hourLimit: number }): Promise<StateRow> {
  const touchesSince = minuteOf(runs.watermark);
  const result = await client.query({
    // Per conversation with a hot cycle, the touches of all its cycles since the minute: a cycle leaving the hot set as
    // the watermark moves on keeps counting, so the sum only grows, by one per insert (`hot-rows.ts`).
    query: `SELECT (SELECT groupArray((toString(conversation_id), hot_cycles, touches)) FROM (
          SELECT conversation_id, groupArrayIf(cycle, is_hot) AS hot_cycles, sum(touches) AS touches FROM (
            SELECT conversation_id, cycle, max(hot) AS is_hot, sum(touch) AS touches FROM (
              SELECT conversation_id, cycle, touched_at >= {watermark:DateTime64(3, 'UTC')} AS hot, 1 AS touch FROM cycle_touches
              WHERE tenant_id = {tenant:UUID} AND touched_at >= {touches_since:DateTime64(3, 'UTC')}
              UNION ALL
              SELECT conversation_id, cycle, true, 0 FROM cycle_rollup_pending WHERE tenant_id = {tenant:UUID})
            GROUP BY conversation_id, cycle)
          GROUP BY conversation_id HAVING notEmpty(hot_cycles)
          LIMIT {limit:UInt32})) AS hot,
        (SELECT groupArray(toString(hour)) FROM (
          SELECT DISTINCT hour FROM activity_touches WHERE tenant_id = {tenant:UUID} AND touched_at >= {count_watermark:DateTime64(3, 'UTC')}
          LIMIT {hour_limit:UInt32})) AS hot_hours`,
    query_params: { tenant: tenantId, watermark: runs.watermark, touches_since: touchesSince, count_watermark: runs.countWatermark, limit: limits.limit, hour_limit: limits.hourLimit },
    format: "JSONEachRow", clickhouse_settings: NO_JIT,
  });
  const [row] = await result.json<{ hot: Array<[string, number[], string | number]>; hot_hours: string[] }>();
  const conversations = row?.hot ?? [];
  return {
    runs: runs.runs, last_run_ms: runs.lastRunMs, hot: conversations.flatMap(([conversation, cycles]) => cycles.map((cycle): [string, number] => [conversation, cycle])),
    touches: Object.fromEntries(conversations.map(([conversation, , n]) => [conversation, Number(n)])), touches_since: touchesSince,
    count_runs: runs.countRuns, hot_hours: row?.hot_hours ?? [],
    watermark: runs.watermark, watermark_ms: msOfChTime(runs.watermark),
  };
}

/**
 * The state's row as last read for these parts, or read now: a board polled while nothing arrives, and every board
 * after the first at the same moment, skip the state's reads (~12 ms at 9.7M events, against ~3 for the parts).
 */
export async function stateRowFor(client: ClickHouseClient, tenantId: string, parts: StateParts, limits: { limit: number; hourLimit: number }): Promise<StateRow> {
  const last = lastRows.get(client, tenantId);
  if (last?.key === parts.key) return last.row;
  return lastRows.set(client, tenantId, { key: parts.key, row: await readStateRow(client, tenantId, await runsFor(client, parts), limits) }).row;
}

const latePresences = tenantCache<{ key: string; ms: number | null }>();

/**
 * The earliest presence change that arrived since the last recorded run (null: none), whose hours that run did not
 * write (`agent-load-hours.ts`), kept for the same parts. Read only for the workload board's state, not in the state's
 * row every board reads again on each change (+3 ms there).
 */
export async function latePresenceFor(client: ClickHouseClient, tenantId: string, parts: StateParts, row: StateRow): Promise<number | null> {
  const last = latePresences.get(client, tenantId);
  if (last?.key === parts.key) return last.ms;
  const [late] = await (await client.query({
    query: "SELECT toString(minOrNull(occurred_ms)) AS ms FROM presence_touches WHERE tenant_id = {tenant:UUID} AND touched_at >= {watermark:DateTime64(3, 'UTC')}",
    query_params: { tenant: tenantId, watermark: row.watermark },
    format: "JSONEachRow", clickhouse_settings: NO_JIT,
  })).json<{ ms: string | null }>();
  return latePresences.set(client, tenantId, { key: parts.key, ms: late?.ms == null ? null : Number(late.ms) }).ms;
}
