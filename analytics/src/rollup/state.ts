import type { ClickHouseClient } from "@clickhouse/client";
import { reusableHotRows } from "./hot-rows.js";

/**
 * What a query needs to know about compaction, read once per dashboard instead of once per statement: has
 * any run finished, and which of the tenant's cycles are hot (touched since the last watermark, or pending
 * without a start). Those are re-aggregated from `cycle_facts_v2`; everything else is read from the rollup. The
 * same for hours of activity: hot ones merge their id sets, the rest read their counts.
 */
export type RollupState = {
  ready: boolean;
  hot: Array<[conversationId: string, cycle: number]>;
  /** The same for the hourly counts (`hourly.ts`): has a run finished, and which hours ('YYYY-MM-DD HH:00:00' UTC) are hot. */
  countsReady: boolean;
  hotHours: string[];
  /**
   * The hot cycles' rows with every rollup column, as TabSeparatedWithNamesAndTypes text (`hot-rows.ts`): each
   * statement reads them back instead of re-aggregating their facts. Absent (facts changed since the last read, too
   * many, too large, or none hot): statements aggregate the facts themselves, as correct.
   */
  hotRows?: string;
};

/** The conversations with a hot cycle, each once: every cycle of theirs is read from the facts (`query/cycles.ts`). */
export const hotConversations = (hot: RollupState["hot"]): string[] => [...new Set(hot.map(([conversation]) => conversation))];

/** The "no rollup" state: every cycle re-aggregated from its facts, every hour's id sets merged (always correct, only slower). */
export const NO_ROLLUP: RollupState = { ready: false, hot: [], countsReady: false, hotHours: [] };

/** Beyond this many hot cycles (a burst, a backfill) the parameter would outweigh the savings: use facts only. */
const MAX_HOT = 5_000;
/** Beyond this many hot hours (a backfill of old events) merge the sets of every hour. */
const MAX_HOT_HOURS = 2_000;

/** `hotRowsAtOnce`: compute the hot rows on the first read of new hot facts, not the second (`reusableHotRows`). */
export type RollupStateOptions = { hotRowsAtOnce?: boolean };

/** Every table the state is read from: while none of their parts changes, neither does the state. */
const STATE_TABLES = ["cycle_rollup_runs", "cycle_touches", "cycle_rollup_pending", "activity_counts_runs", "activity_touches", "cycle_facts_v2"];
const MAX_CACHED_TENANTS = 200;

type StateRow = { runs: string | number; hot: Array<[string, number]>; count_runs: string | number; hot_hours: string[] };
type Parts = { key: string; facts: string[] };
const lastRows = new WeakMap<ClickHouseClient, Map<string, { key: string; row: StateRow | undefined }>>();

/**
 * The active parts of the state's tables. Parts never change (an insert, a merge, a mutation or a TTL pass makes new
 * ones, with new block numbers), so the same parts hold the same rows: read before the state, they key it.
 */
async function readStateParts(client: ClickHouseClient): Promise<Parts> {
  const result = await client.query({
    // A part's path names its table's uuid: a table dropped and created again starts its block numbers over.
    query: `SELECT arraySort(groupArray((table, name, path))) AS parts FROM system.parts
      WHERE database = currentDatabase() AND table IN {tables:Array(String)} AND active`,
    query_params: { tables: STATE_TABLES },
    format: "JSONEachRow",
  });
  const parts = (await result.json<{ parts: Array<[string, string, string]> }>())[0]?.parts ?? [];
  return { key: JSON.stringify(parts), facts: parts.filter(([table]) => table === "cycle_facts_v2").map(([, name]) => name) };
}

async function readStateRow(client: ClickHouseClient, tenantId: string): Promise<StateRow | undefined> {
  const result = await client.query({
    query: `SELECT (SELECT count() FROM cycle_rollup_runs) AS runs,
        (SELECT groupArray((toString(conversation_id), cycle)) FROM (
          SELECT DISTINCT conversation_id, cycle FROM (
            SELECT conversation_id, cycle FROM cycle_touches
            WHERE tenant_id = {tenant:UUID} AND touched_at >= (SELECT max(watermark) FROM cycle_rollup_runs)
            UNION ALL
            SELECT conversation_id, cycle FROM cycle_rollup_pending WHERE tenant_id = {tenant:UUID})
          LIMIT {limit:UInt32})) AS hot,
        (SELECT count() FROM activity_counts_runs) AS count_runs,
        (SELECT groupArray(toString(hour)) FROM (
          SELECT DISTINCT hour FROM activity_touches
          WHERE tenant_id = {tenant:UUID} AND touched_at >= (SELECT max(watermark) FROM activity_counts_runs)
          LIMIT {hour_limit:UInt32})) AS hot_hours`,
    query_params: { tenant: tenantId, limit: MAX_HOT + 1, hour_limit: MAX_HOT_HOURS + 1 },
    format: "JSONEachRow",
  });
  return (await result.json<StateRow>())[0];
}

/**
 * The state's row as last read for these parts, or read now: a board polled while nothing arrives, and every board
 * after the first at the same moment, skip the state's reads (~15 ms at 9.7M events, against ~3 for the parts).
 */
async function stateRowFor(client: ClickHouseClient, tenantId: string, parts: Parts): Promise<StateRow | undefined> {
  const tenants = lastRows.get(client) ?? new Map<string, { key: string; row: StateRow | undefined }>();
  lastRows.set(client, tenants);
  const last = tenants.get(tenantId);
  if (last?.key === parts.key) return last.row;
  const row = await readStateRow(client, tenantId);
  if (!last && tenants.size >= MAX_CACHED_TENANTS) tenants.delete(tenants.keys().next().value!);
  tenants.set(tenantId, { key: parts.key, row });
  return row;
}

export async function readRollupState(client: ClickHouseClient, tenantId: string, options: RollupStateOptions = {}): Promise<RollupState> {
  const parts = await readStateParts(client);
  const row = await stateRowFor(client, tenantId, parts);
  const hot = row?.hot ?? [];
  const hotHours = row?.hot_hours ?? [];
  const counts = Number(row?.count_runs ?? 0) > 0 && hotHours.length <= MAX_HOT_HOURS ? { countsReady: true, hotHours } : { countsReady: false, hotHours: [] };
  if (Number(row?.runs ?? 0) === 0 || hot.length > MAX_HOT) return { ...NO_ROLLUP, ...counts };
  return { ready: true, hot, ...counts, hotRows: await reusableHotRows(client, tenantId, hot, parts.facts, options.hotRowsAtOnce) };
}
