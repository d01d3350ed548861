import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { NONE } from "../query/cycle-columns.js";
import { fitsParam, NO_JIT } from "../query/input.js";
import { FACT_INSTANTS } from "./agent-time-sums.js";
import { contributionsOf, lessOf, type CycleMeasures } from "./contributions.js";
import type { HotRows } from "./hot-rows.js";
import type { RollupState } from "./state.js";
import { tenantCache } from "./tenant-cache.js";

/**
 * The hot floor: before it the agent board reads `agent_time_sums`, from it the cycles. At best the earliest instant
 * where a hot cycle puts something else in the sums than its compacted version does. The sums hold the compacted
 * version (the rollup's row, written with them by the run that recorded it); the board reads the hot one (the state's hot rows). Before the first bucket their contributions differ in, both put the same
 * there, so the board may read those hours summed. A conversation is hot for its newest message, most often: its
 * runs, stints and resolve change at that message, while the earliest instant of its facts (the coarse floor) is its
 * start, hours or days back, and kept every hour since on the slower read of the cycles.
 */
const hotPairs = "(conversation_id, cycle) IN {hot:Array(Tuple(UUID, UInt32))}";
const hotPairsParam = (hot: RollupState["hot"]) => hot.map((pair) => new TupleParam(pair));
/**
 * The hot pairs' compacted rows (the newest version per sort key, as FINAL keeps them, by LIMIT BY: it reads the arrays
 * of those rows only), with the columns their contributions read (`contributions.ts`), 64-bit values as text.
 */
const compactedRowsSql = `SELECT toString(conversation_id) AS conversation, cycle, version, channel, team, toString(started_ms_) AS started,
    toString(resolved_ms_) AS resolved, toString(previous_resolved_ms_) AS previousResolved, is_reopen AS isReopen, prev_resolver AS prevResolver,
    result, resolve_agent AS resolveAgent, deal, cur, csat, exact_frt AS exactFrt, exact_frt_agent AS exactFrtAgent, responses, stints,
    transfer_n AS transfers, tag_set AS tags
  FROM cycle_rollup
  WHERE tenant_id = {tenant:UUID} AND started_ms_ >= {start_ms:Int64} AND ${hotPairs}
  ORDER BY version DESC LIMIT 1 BY started_ms_, conversation_id, cycle`;
type CompactedRow = Omit<CycleMeasures, "responses" | "stints"> & { conversation: string; cycle: number; version: string; responses: string[][]; stints: string[][] };
const measuresOf = ({ conversation, cycle, version, responses, stints, ...m }: CompactedRow): CycleMeasures => ({
  ...m, responses: responses.map(([w, a, s, r]) => [Number(w), a!, Number(s), Number(r)]), stints: stints.map(([a, f, t]) => [a!, Number(f), Number(t)]),
});

/**
 * The earliest instant of the hot cycles' facts (`FACT_INSTANTS`). `agent_time_sums` may hold an older version of such a
 * cycle, the rollup its new one soon, and a cycle with no start yet is in neither: every version puts its measures on
 * the hours of those instants, so on the hours before this one's the sums and the cycles agree. (A cycle whose opening
 * never arrives stays hot: its tenant's hours after it are read from the cycles, slower, not wrong.)
 */
const coarseFloor = (client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]) => earliestFact(client, tenantId, hotPairs, hot);

/** The earliest instant of the tenant's facts `where` keeps (a test on the hot pairs, `hotPairs`), null with none. */
async function earliestFact(client: ClickHouseClient, tenantId: string, where: string, hot: RollupState["hot"]): Promise<number | null> {
  const result = await client.query({
    query: `SELECT toString(min(ms)) AS floor FROM cycle_facts_v2 ARRAY JOIN ${FACT_INSTANTS} AS ms WHERE tenant_id = {tenant:UUID} AND ${where}`,
    query_params: { tenant: tenantId, hot: hotPairsParam(hot) },
    format: "JSONEachRow", clickhouse_settings: NO_JIT,
  });
  const [row] = await result.json<{ floor: string }>();
  // No instant at all (min of none is 0): no version of these cycles is on any hour.
  return row === undefined || row.floor === "0" ? null : Number(row.floor);
}

/**
 * A bound below every hot cycle's compacted start: each cycle's hot row has the least start of all its facts, its
 * compacted row that of some of them (facts are only added). Past every start (all pending) no compacted row is read.
 */
function earliestStart(pairs: RollupState["hot"], hotRows: HotRows): string {
  const starts = pairs.map(([conversation, cycle]) => hotRows.measures.get(`${conversation}/${cycle}`)?.started ?? NONE).filter((ms) => ms !== NONE).map(BigInt);
  return starts.length === 0 ? NONE : String(starts.reduce((a, b) => (b < a ? b : a)));
}

/**
 * The hot floor, and with the hot rows what the hot cycles change in the sums (`agent-delta.ts`) when they change anything;
 * `transferFloorMs`: the same floor for the transfer-ended stints' sums too, which the change does not cover.
 */
export type HotSums = { floorMs: number | null; transferFloorMs: number | null; delta?: string };

/** Compacted rows read, by "conversation/cycle" (null: none), for one version of `cycle_rollup` (`state-reads.ts`). */
const compactedRows = tenantCache<{ versions: string; rows: Map<string, CompactedRow | null> }>();

/**
 * The hot pairs' compacted rows (undefined for none). Only a compaction run writes the rollup, and a new version of it
 * reads them all again; between runs (every 10 s) new facts read only the pairs not read yet (newly hot).
 */
async function compactedOf(client: ClickHouseClient, tenantId: string, inputs: FloorInputs & { hotRows: HotRows }): Promise<Map<string, CompactedRow | undefined>> {
  const cached = compactedRows.get(client, tenantId);
  const versions = JSON.stringify(inputs.rollupVersions);
  const known = cached?.versions === versions ? cached.rows : new Map<string, CompactedRow | null>();
  compactedRows.set(client, tenantId, { versions, rows: known });
  const missing = inputs.hot.filter(([conversation, cycle]) => !known.has(`${conversation}/${cycle}`));
  if (missing.length > 0) {
    const result = await client.query({
      query: compactedRowsSql,
      query_params: { tenant: tenantId, start_ms: earliestStart(missing, inputs.hotRows), hot: hotPairsParam(missing) },
      format: "JSONEachRow", clickhouse_settings: NO_JIT,
    });
    for (const [conversation, cycle] of missing) known.set(`${conversation}/${cycle}`, null);
    for (const row of await result.json<CompactedRow>()) known.set(`${row.conversation}/${row.cycle}`, row);
  }
  return new Map(inputs.hot.map(([conversation, cycle]) => [`${conversation}/${cycle}`, known.get(`${conversation}/${cycle}`) ?? undefined]));
}

/**
 * The hot pairs' compacted rows, or undefined with a run in flight: a rollup row newer than the last recorded run may
 * not have its sums and hours written yet (a run writes them after the rollup, and records itself last), so they may
 * hold an older version than the rollup shows.
 */
async function settledCompactedOf(client: ClickHouseClient, tenantId: string, inputs: FloorInputs & { hotRows: HotRows }): Promise<Map<string, CompactedRow | undefined> | undefined> {
  const compacted = await compactedOf(client, tenantId, inputs);
  return [...compacted.values()].some((row) => row !== undefined && Number(row.version) > inputs.lastRunMs) ? undefined : compacted;
}

/**
 * Where the hot cycles' contributions first differ from their compacted rows' (null: nowhere) and the difference
 * (`HotSums`: what the compacted rows contribute and the hot ones not, taken off, and the other way round, added), or
 * undefined with a run in flight (`settledCompactedOf`). Before the first instant where they differ both put the same in
 * every bucket, so the floor is that instant.
 */
async function changedSums(client: ClickHouseClient, tenantId: string, inputs: FloorInputs & { hotRows: HotRows }): Promise<HotSums | undefined> {
  const compacted = await settledCompactedOf(client, tenantId, inputs);
  if (compacted === undefined) return undefined;
  const changes: string[] = [];
  let floor: number | null = null;
  let transferFloor: number | null = null;
  for (const [conversation, cycle] of inputs.hot) {
    const [was, now] = [compacted.get(`${conversation}/${cycle}`), inputs.hotRows.measures.get(`${conversation}/${cycle}`)];
    const [before, after] = [was ? contributionsOf(measuresOf(was)) : [], now ? contributionsOf(now) : []];
    for (const [sign, side] of [[-1, lessOf(before, after)], [1, lessOf(after, before)]] as const) {
      for (const c of side) {
        changes.push(`{"sign":${sign},${c.json.slice(1)}`);
        floor = Math.min(floor ?? Infinity, Number(c.instant));
      }
    }
    const stintEnd = newTransferFloor(was, now);
    if (stintEnd !== null) transferFloor = Math.min(transferFloor ?? Infinity, stintEnd);
  }
  const transferFloorMs = floor === null ? transferFloor : Math.min(floor, transferFloor ?? Infinity);
  if (floor === null) return { floorMs: null, transferFloorMs };
  const delta = changes.join("\n");
  return { floorMs: floor, transferFloorMs, ...(fitsParam(delta) ? { delta } : {}) };
}

/**
 * A transfer new to a hot cycle may have ended any of its ended stints (their sums' `xfer_n`, migration 0021) and is
 * counted out and in at its instant (`xfer_out_n`, `xfer_in_n`, 0024), which the contributions, alike on both sides, do
 * not show: its earliest stint's start (a transfer ends its source's stint or starts its target's, at its instant, and
 * no stint ends before it starts), or null when its transfers are those of its compacted row (facts are only added: the
 * same count is the same transfers), or when it has no stint (a transfer between queues counts for no agent).
 */
function newTransferFloor(was: CompactedRow | undefined, now: CycleMeasures | undefined): number | null {
  if (now === undefined || Number(now.transfers) === Number(was?.transfers ?? 0)) return null;
  return now.stints.length === 0 ? null : Math.min(...now.stints.map((s) => s[1]));
}

/**
 * `hotRows`: the state's (`hot-rows.ts`), absent when it has none; `lastRunMs`: the last recorded run's clock (its rows'
 * version); `rollupVersions`: `cycle_rollup`'s data versions (`state-reads.ts`).
 */
export type FloorInputs = { hot: RollupState["hot"]; hotRows?: HotRows; lastRunMs: number; factsParts: string[]; rollupVersions: string[] };
/** What a floor is kept for: the same hot cycles, facts, runs, rollup, and rows or not. */
const floorKey = (inputs: FloorInputs) => JSON.stringify([inputs.hot, inputs.factsParts, inputs.lastRunMs, inputs.rollupVersions, inputs.hotRows !== undefined]);

type Kept<T> = ReturnType<typeof tenantCache<{ key: string; value: T }>>;
const floors: Kept<HotSums> = tenantCache();
const loadFloors: Kept<number | null> = tenantCache();
const conversationFloors: Kept<number | null> = tenantCache();

/** A floor kept per tenant for the same inputs (`floorKey`), or computed now and kept. */
async function kept<T>(cache: Kept<T>, client: ClickHouseClient, tenantId: string, inputs: FloorInputs, compute: () => Promise<T>): Promise<T> {
  const key = floorKey(inputs);
  const last = cache.get(client, tenantId);
  if (last?.key === key) return last.value;
  return cache.set(client, tenantId, { key, value: await compute() }).value;
}

/**
 * A cycle's stints as the sweep's points, agent|instant|±1|team (an open stint ends past every hour written: no point):
 * its team's hours hold them too (migration 0023), so a cycle whose team changed changes them where its stints start.
 */
const stintPoints = ({ stints, team }: Pick<CycleMeasures, "stints" | "team">) =>
  stints.flatMap(([agent, from, to]) => [`${agent}|${from}|1|${team}`, ...(to === -1 ? [] : [`${agent}|${to}|-1|${team}`])]);

/** The earliest instant of a point one side has more often than the other (null: none). */
function firstDifference(was: string[], now: string[]): number | null {
  const counts = new Map<string, number>();
  for (const p of was) counts.set(p, (counts.get(p) ?? 0) + 1);
  for (const p of now) counts.set(p, (counts.get(p) ?? 0) - 1);
  const differing = [...counts].filter(([, n]) => n !== 0).map(([p]) => Number(p.split("|")[1]));
  return differing.length === 0 ? null : Math.min(...differing);
}

/**
 * Where the hot cycles' stints first differ from their compacted rows' (null: nowhere), which the workload hours hold
 * (the run that wrote a row wrote its agents' hours before recording itself), or undefined where that cannot be told:
 * a run in flight (`settledCompactedOf`), a hot cycle without a row (pending).
 */
async function changedStints(client: ClickHouseClient, tenantId: string, inputs: FloorInputs & { hotRows: HotRows }): Promise<number | null | undefined> {
  const compacted = await settledCompactedOf(client, tenantId, inputs);
  if (compacted === undefined) return undefined;
  let floor: number | null = null;
  for (const [conversation, cycle] of inputs.hot) {
    const [was, now] = [compacted.get(`${conversation}/${cycle}`), inputs.hotRows.measures.get(`${conversation}/${cycle}`)];
    if (now === undefined) return undefined;
    const first = firstDifference(was ? stintPoints(measuresOf(was)) : [], stintPoints(now));
    if (first !== null) floor = Math.min(floor ?? Infinity, first);
  }
  return floor;
}

/**
 * The workload hours' floor (`RollupState.loadUntilMs`): with the hot rows, where the hot cycles' stints first differ
 * from those the hours hold (a new message changes none: no floor; a reply closing a stint, its instant); else the
 * coarse floor (every stint of every version of a hot cycle starts at one of its ownership changes). Kept as `hotSums`.
 */
export async function hotLoadFloor(client: ClickHouseClient, tenantId: string, inputs: FloorInputs): Promise<number | null> {
  if (inputs.hot.length === 0) return null;
  return kept(loadFloors, client, tenantId, inputs, async () => {
    const { hotRows } = inputs;
    const changed = hotRows === undefined ? undefined : await changedStints(client, tenantId, { ...inputs, hotRows });
    return changed !== undefined ? changed : coarseFloor(client, tenantId, inputs.hot);
  });
}

/**
 * The earliest fact instant of any cycle of a conversation whose hot cycles carry a territory
 * (`RollupState.hotConversationsFloorMs`): an opening, late or past cycle 1, changes the territory of every cycle of its
 * conversation (the compactor writes them all again, `compact.ts`), and none of its compacted siblings is a hot pair.
 * A reopen carries none: a conversation reopened today does not put its first cycle's days back on the cycles. Kept for
 * the same hot cycles and facts, as the other floors.
 */
export async function hotConversationsFloor(client: ClickHouseClient, tenantId: string, inputs: FloorInputs): Promise<number | null> {
  if (inputs.hot.length === 0) return null;
  const withTerritory = `conversation_id IN (SELECT conversation_id FROM cycle_facts_v2 WHERE tenant_id = {tenant:UUID} AND ${hotPairs} AND territory != '')`;
  return kept(conversationFloors, client, tenantId, inputs, () => earliestFact(client, tenantId, withTerritory, inputs.hot));
}

/**
 * The hot floor and the sums' difference (`RollupState.hotFloorMs`, `agentDelta`): with the hot rows at hand where the
 * hot cycles start to change the sums and what they change; else (or with a run in flight) the coarse floor.
 * Kept for the same hot cycles, facts, runs, rollup and rows (the hot rows' own key, `hot-rows.ts`): a board polled
 * while nothing arrives, and every reader of one moment, reuse it. The rollup is part of it because a run writes the
 * rollup and the sums before it records itself: the sums may then hold a change kept here as still to add.
 */
export async function hotSums(client: ClickHouseClient, tenantId: string, inputs: FloorInputs): Promise<HotSums> {
  if (inputs.hot.length === 0) return { floorMs: null, transferFloorMs: null };
  return kept(floors, client, tenantId, inputs, async () => {
    const { hotRows } = inputs;
    const changed = hotRows === undefined ? undefined : await changedSums(client, tenantId, { ...inputs, hotRows });
    if (changed !== undefined) return changed;
    const coarse = await coarseFloor(client, tenantId, inputs.hot);
    return { floorMs: coarse, transferFloorMs: coarse };
  });
}
