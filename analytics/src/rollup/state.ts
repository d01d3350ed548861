import type { ClickHouseClient } from "@clickhouse/client";
import { hotConversationsFloor, hotLoadFloor, hotSums, type FloorInputs } from "./hot-floor.js";
import { reusableHotCounts } from "./hot-counts.js";
import { reusableHotRows } from "./hot-rows.js";
import { latePresenceFor, readStateParts, stateRowFor, type StateParts, type StateRow } from "./state-reads.js";

/**
 * What a query needs to know about compaction, read once per dashboard instead of once per statement: has
 * any run finished, and which of the tenant's cycles are hot (touched since the last watermark, or pending
 * without a start). Those are re-aggregated from `cycle_facts_v2` (or read from the state's rows of them);
 * everything else is read from the rollup. The same for hours of activity: hot ones merge their id sets (or read the
 * state's counts of them), the rest read their stored counts.
 */
export type RollupState = {
  ready: boolean;
  hot: Array<[conversationId: string, cycle: number]>;
  /** The same for the hourly counts (`hourly.ts`): has a run finished, and which hours ('YYYY-MM-DD HH:00:00' UTC) are hot. */
  countsReady: boolean;
  hotHours: string[];
  /** Whether the hourly counts' days (`activity_counts_days`, migration 0022) may be read, for days with no hot hour. */
  countDaysReady: boolean;
  /**
   * Whether `agent_time_sums` (migration 0018) may be read (it holds every compacted cycle, and the state was read
   * with `agentSums`), and the earliest instant where a hot cycle may put something else there than the sums hold
   * (null with none): whole hours before it are read from there (`agentSumsWindow`). Its facts' earliest instant;
   * with the hot rows at hand, where they change (`hot-floor.ts`).
   */
  daysReady: boolean;
  hotFloorMs: number | null;
  /**
   * The same floor for the transfer-ended stints' sums (migration 0021) too: a transfer new to a hot cycle changes them
   * and no contribution the delta holds (`hot-floor.ts`). Read up to it, with no delta (`transferSumsWindow`).
   */
  hotTransferFloorMs: number | null;
  /**
   * For a territory's view (migration 0026), the earliest fact instant of any cycle of a conversation whose hot cycles
   * carry a territory (null: none): an opening moves its conversation's compacted cycles to its territory, which the sums
   * hold only after the next run (`hotConversationsFloor`). Read only for a state asked with `territory`; without it a
   * territory's view reads no sums while any cycle is hot.
   */
  hotConversationsFloorMs?: number | null;
  /**
   * With the hot rows, what the hot cycles change in the sums (`agent-delta.ts`): a window it fits is read summed
   * whole, the change added, whatever the floor (`agentSumsWindow`).
   */
  agentDelta?: string;
  /**
   * Up to when the workload board may read `agent_load_hours` (migration 0019; null: not at all): the hours the last
   * recorded run wrote (its watermark's hour), before the hot cycles' earliest instant and before the earliest presence
   * change that arrived since that run (`loadWindow`). Only for a state read with `agentLoad`.
   */
  loadUntilMs: number | null;
  /**
   * The hot cycles' rows with every rollup column, as TabSeparatedWithNamesAndTypes text (`hot-rows.ts`): each
   * statement reads them back instead of re-aggregating their facts. Absent (facts changed since the last read, too
   * many, too large, or none hot): statements aggregate the facts themselves, as correct.
   */
  hotRows?: string;
  /**
   * The hot hours' counts per row key, as TabSeparatedWithNamesAndTypes text (`hot-counts.ts`): each statement reads
   * them instead of merging the hot hours' id sets. Absent as the hot rows are.
   */
  hotCounts?: string;
};

/** The conversations with a hot cycle, each once: every cycle of theirs is read from the facts (`query/cycles.ts`). */
export const hotConversations = (hot: RollupState["hot"]): string[] => [...new Set(hot.map(([conversation]) => conversation))];

/** The "no rollup" state: every cycle re-aggregated from its facts, every hour's id sets merged (always correct, only slower). */
export const NO_ROLLUP: RollupState = { ready: false, hot: [], countsReady: false, hotHours: [], countDaysReady: false, daysReady: false, hotFloorMs: null, hotTransferFloorMs: null, loadUntilMs: null };

/**
 * Beyond this many hot cycles (a burst, a backfill) use facts only: the parameter would outweigh the savings, and their
 * pairs (~45 bytes each, `hot-floor.ts`) must fit one (`MAX_PARAM_BYTES`).
 */
const MAX_HOT = 2_500;
/** Beyond this many hot hours (a backfill of old events) merge the sets of every hour. */
const MAX_HOT_HOURS = 2_000;

/**
 * `hotRowsAtOnce`: compute the hot rows on the first read of new hot facts, not the second (`reusableHotRows`).
 * `hotCounts` false: the statement reads no hourly id sets, so the hot hours' counts are neither computed nor looked up
 * for it (`hot-counts.ts`, ~20–35 ms an hour).
 * `agentSums`: the statement reads `agent_time_sums`, so find the hot floor (~17 ms for the coarse one, ~30 for where
 * the hot rows change it, at 9.7M events and 37 hot cycles); without, `daysReady` is false and nothing reads them.
 * `agentLoad`: the statement may read `agent_load_hours`, so find up to when (`loadUntilMs`).
 * `territory`: with `agentSums`, the view filters by territory, so find `hotConversationsFloorMs`.
 */
export type RollupStateOptions = { hotRowsAtOnce?: boolean; hotCounts?: boolean; agentSums?: boolean; agentLoad?: boolean; territory?: boolean };

/**
 * The tenant's state now: its reads are done again only when the data of a table they read changed (an insert or a
 * mutation, not a merge: `state-reads.ts`), so a board polled while nothing arrives, and every board after the first
 * at one moment, list the parts and no more.
 */
export async function readRollupState(client: ClickHouseClient, tenantId: string, options: RollupStateOptions = {}): Promise<RollupState> {
  const parts = await readStateParts(client);
  const row = await stateRowFor(client, tenantId, parts, { limit: MAX_HOT + 1, hourLimit: MAX_HOT_HOURS + 1 });
  const { hot, hot_hours: hotHours } = row;
  const countsReady = row.count_runs > 0 && hotHours.length <= MAX_HOT_HOURS;
  const hotCounts = countsReady && options.hotCounts !== false ? await reusableHotCounts(client, tenantId, hotHours, parts.hourly) : undefined;
  const counts = countsReady
    ? { countsReady, hotHours, countDaysReady: parts.countDaysBuilt, ...(hotCounts === undefined ? {} : { hotCounts }) }
    : { countsReady, hotHours: [], countDaysReady: false };
  if (row.runs === 0 || hot.length > MAX_HOT) return { ...NO_ROLLUP, ...counts };
  const source = { facts: parts.facts, rewrites: parts.rewrites, touchesSince: row.touches_since, touches: row.touches };
  const hotRows = await reusableHotRows(client, tenantId, hot, source, options.hotRowsAtOnce);
  const daysReady = parts.daysBuilt && options.agentSums === true;
  const floorInputs = { hot, hotRows, lastRunMs: row.last_run_ms, factsParts: parts.facts, rollupVersions: parts.rollup };
  const sums = daysReady ? await hotSums(client, tenantId, floorInputs) : { floorMs: null, transferFloorMs: null };
  const loadUntilMs = parts.loadBuilt && options.agentLoad === true ? await loadUntil(client, tenantId, { parts, row }, floorInputs) : null;
  const territory = daysReady && options.territory === true ? { hotConversationsFloorMs: await hotConversationsFloor(client, tenantId, floorInputs) } : {};
  return {
    ready: true, hot, ...counts, daysReady, hotFloorMs: sums.floorMs, hotTransferFloorMs: sums.transferFloorMs, ...territory, loadUntilMs,
    ...(sums.delta ? { agentDelta: sums.delta } : {}), hotRows: hotRows?.text,
  };
}

/** `RollupState.loadUntilMs`: the last recorded run's hours, before the hot cycles and the presence changes it did not see. */
async function loadUntil(client: ClickHouseClient, tenantId: string, state: { parts: StateParts; row: StateRow }, inputs: FloorInputs): Promise<number> {
  const hot = await hotLoadFloor(client, tenantId, inputs);
  const late = await latePresenceFor(client, tenantId, state.parts, state.row);
  return Math.min(state.row.watermark_ms, hot ?? Infinity, late ?? Infinity);
}
