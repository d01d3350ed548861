import type { ClickHouseClient } from "@clickhouse/client";
import { NONE, rawColumns } from "../query/cycle-columns.js";
import { chTime } from "../query/input.js";
import { compactAgentLoad } from "./agent-load-hours.js";
import { compactAgentTimeSums } from "./agent-time-sums.js";
import { compactActivityHours } from "./hourly.js";
import { lastRun, queryRows, versionAfter } from "./runs.js";

export type CompactionOptions = {
  /** The run's clock (tests pass one). */
  now?: Date;
  /**
   * How far behind `now` the watermark stays. A cycle's touch is stamped when its insert starts and becomes
   * visible when the insert ends, so this must exceed the longest insert; later touches wait for the next run.
   */
  safetyMs?: number;
  /** Cycles per INSERT … SELECT, so the first run over a large history does not need it all in memory. */
  cyclesPerChunk?: number;
};

/**
 * `days`: (tenant, day) pairs of `agent_time_sums` (re)written with their hours (`agent-time-sums.ts`); `hours`: hours whose
 * activity counts were (`hourly.ts`); `loadHours`: the hours of `agent_load_hours` the widest tenant's write covered (`agent-load-hours.ts`).
 */
export type CompactionResult = { watermark: Date; cycles: number; chunks: number; days: number; hours: number; loadHours: number };

const DEFAULT_SAFETY_MS = 30_000;
const DEFAULT_CYCLES_PER_CHUNK = 250_000;

/**
 * The cycles this run must (re)write: every cycle on the first run (the rollup starts empty and facts from
 * before the rollup existed have no touches), afterwards those touched since the previous watermark, and every
 * cycle of a conversation whose touched cycle carries a territory: the rollup stores the conversation's territory
 * in each of its cycles (migration 0013), so a territory arriving late (a replayed opening) reaches them all.
 * `conversations`: the conversations of those cycles, whose territory the run looks up.
 */
function dirtyFilter(firstRun: boolean): { cycles: string; conversations: string } {
  if (firstRun) return { cycles: "1", conversations: "1" };
  const window = "touched_at >= {since:DateTime64(3, 'UTC')} AND touched_at < {until:DateTime64(3, 'UTC')}";
  const touched = `(tenant_id, conversation_id, cycle) IN (SELECT tenant_id, conversation_id, cycle FROM cycle_touches WHERE ${window})`;
  return {
    cycles: `(${touched} OR (tenant_id, conversation_id) IN (SELECT tenant_id, conversation_id FROM cycle_facts_v2 WHERE territory != '' AND ${touched}))`,
    conversations: `(tenant_id, conversation_id) IN (SELECT tenant_id, conversation_id FROM cycle_touches WHERE ${window})`,
  };
}

const rollupColumns = ["tenant_id", "conversation_id", "cycle", "version", ...rawColumns.map(([alias]) => alias)];
const aggregates = rawColumns.map(([alias, expr]) => `${expr} AS ${alias}`).join(",\n    ");

/**
 * Each dirty conversation's territory, as the territory panels define it (cycle 1's own, or the conversation's for
 * a later cycle, and any set past cycle 1): `territory` in the rollup, so the teams board need not look it up.
 */
const inChunk = "cityHash64(conversation_id) % {chunks:UInt64} = {chunk:UInt64}";
const conversationTerritory = "greatest(if(f.cycle = 1, f.territory, t.terr), t.later)";
const territoriesOf = (conversations: string) => `(SELECT tenant_id, conversation_id, max(territory) AS terr, max(later_territory) AS later
    FROM conversation_territories
    WHERE ${conversations} AND ${inChunk}
    GROUP BY tenant_id, conversation_id) AS t`;

/** One chunk of dirty cycles, re-aggregated from their facts: started ones into the rollup, the rest pending. */
async function compactChunk(client: ClickHouseClient, dirty: { cycles: string; conversations: string }, params: Record<string, unknown>): Promise<void> {
  const facts = `SELECT tenant_id, conversation_id, cycle, {version:Int64} AS version,
    ${aggregates}
  FROM cycle_facts_v2
  WHERE ${dirty.cycles} AND ${inChunk}
  GROUP BY tenant_id, conversation_id, cycle`;
  await client.command({
    query: `INSERT INTO cycle_rollup (${rollupColumns.join(", ")})
      SELECT f.* REPLACE (${conversationTerritory} AS territory)
      FROM (${facts}) AS f LEFT JOIN ${territoriesOf(dirty.conversations)} ON t.tenant_id = f.tenant_id AND t.conversation_id = f.conversation_id
      WHERE f.started_ms_ != ${NONE}`,
    query_params: params,
    clickhouse_settings: { join_use_nulls: 0 },
  });
  await client.command({
    query: `INSERT INTO cycle_rollup_pending (tenant_id, conversation_id, cycle)
      SELECT tenant_id, conversation_id, cycle FROM cycle_facts_v2
      WHERE ${dirty.cycles} AND ${inChunk}
      GROUP BY tenant_id, conversation_id, cycle HAVING min(started_ms) = ${NONE}`,
    query_params: params,
  });
}

/**
 * ClickHouse's clock, the one that stamps the touches (`now64()` in their views): a web host's clock ahead of it by
 * more than the safety margin would move the watermark past touches of inserts still running, whose cycles would
 * then be neither hot nor compacted.
 */
async function clickHouseNow(client: ClickHouseClient): Promise<Date> {
  const [row] = await queryRows<{ ms: string }>(client, "SELECT toString(toUnixTimestamp64Milli(now64(3))) AS ms");
  return new Date(Number(row!.ms));
}

/**
 * Writes every cycle touched since the last run into `cycle_rollup`, then records the new watermark; then the
 * activity counts of the hours touched since their last run (`hourly.ts`). Queries read compacted cycles from
 * the rollup and re-aggregate the rest, so a run that dies half-way leaves correct results (its watermark was
 * never recorded; the next run redoes its cycles). Runs may overlap: the newest version of a cycle holds at
 * least the facts of any older one.
 */
export async function compactCycles(client: ClickHouseClient, options: CompactionOptions = {}): Promise<CompactionResult> {
  const now = options.now ?? await clickHouseNow(client);
  const watermark = new Date(now.getTime() - (options.safetyMs ?? DEFAULT_SAFETY_MS));
  const last = await lastRun(client, "cycle_rollup_runs");
  const version = versionAfter(now, last);
  const dirty = dirtyFilter(last.runs === 0);
  const window = { since: last.since, until: chTime(watermark) };
  const [counted] = await queryRows<{ n: string }>(client, `SELECT uniqExact(tenant_id, conversation_id, cycle) AS n FROM cycle_facts_v2 WHERE ${dirty.cycles}`, window);
  const cycles = Number(counted?.n ?? 0);
  const chunks = Math.max(1, Math.ceil(cycles / (options.cyclesPerChunk ?? DEFAULT_CYCLES_PER_CHUNK)));
  for (let chunk = 0; cycles > 0 && chunk < chunks; chunk++) {
    await compactChunk(client, dirty, { ...window, version, chunks, chunk });
  }
  // Chunks split cycles by hash, so each chunk's part spans the whole time range and every FINAL read had to
  // merge them all (a 30-day count at 9M events: 129 ms, 35 ms once merged). Merge them now, once.
  if (chunks > 1) await client.command({ query: "OPTIMIZE TABLE cycle_rollup FINAL" });
  // Before the run is recorded: until then its cycles are hot, and queries read their hours from the cycles.
  const days = await compactAgentTimeSums(client, cycles > 0 ? dirty.cycles : "0", window, version);
  const loadHours = await compactAgentLoad(client, cycles > 0 ? dirty.cycles : "0", window, version, last.runs === 0);
  // Recorded at its rows' version: a rollup row newer than the last recorded run is a run in flight (`hot-floor.ts`).
  await client.insert({ table: "cycle_rollup_runs", format: "JSONEachRow", values: [{ ran_at: chTime(new Date(version)), watermark: chTime(watermark), cycles }] });
  // The hourly counts ride on the same runs (same clock and margin), so every caller of this compacts both.
  const { hours } = await compactActivityHours(client, now, options.safetyMs ?? DEFAULT_SAFETY_MS);
  return { watermark, cycles, chunks, days, hours, loadHours };
}

export type CompactorHandle = { stop: () => Promise<void> };

/**
 * Runs `compactCycles` every `everyMs` (never two at once in this process) until stopped. A failed run is
 * logged and retried on the next tick: queries stay correct meanwhile, only slower.
 */
export function startCycleCompactor(client: ClickHouseClient, opts: { everyMs?: number; safetyMs?: number; log?: (msg: string) => void } = {}): CompactorHandle {
  const log = opts.log ?? ((msg: string) => console.log(msg));
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    const started = Date.now();
    running = compactCycles(client, { safetyMs: opts.safetyMs })
      .then((r) => {
        // Quiet when keeping up; a large or slow run (the first over a history, a backfill) is worth a line.
        const ms = Date.now() - started;
        if (r.cycles >= 1000 || ms >= 1000) log(`[analytics] compacted ${r.cycles} cycles up to ${r.watermark.toISOString()} in ${ms} ms`);
      })
      .catch((err: unknown) => log(`[analytics] cycle compaction failed, retrying next run: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => { if (!stopped) timer = setTimeout(tick, opts.everyMs ?? 10_000); });
  };
  timer = setTimeout(tick, 0);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
