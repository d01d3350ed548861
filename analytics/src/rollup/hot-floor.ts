import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { hotRowsColumn, hotRowsFor } from "../query/cycles.js";
import { NONE } from "../query/cycle-columns.js";
import { CONTRIBUTION_COLUMNS, CONTRIBUTIONS_OF_ROW, FACT_INSTANTS } from "./agent-time-sums.js";
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
// The contributions once, over both sides' columns (their lambdas cost ~10 ms to plan each time); the compacted rows
// as FINAL keeps them (the newest version per sort key) but by LIMIT BY, which reads the arrays of the hot pairs' rows
// only, where FINAL read them for every row from the earliest start on. Built on first use: this module and the sums'
// import each other through the state.
const diffSql = (columns = CONTRIBUTION_COLUMNS.join(", ")) => `SELECT toString(min(floor)) AS floor, max(in_flight) AS in_flight,
    arrayStringConcat(arrayFlatten(groupArray(changes)), '\\n') AS delta
  FROM (
  SELECT arraySort(arrayFlatten(groupArrayIf(c, side = 1))) AS was, arraySort(arrayFlatten(groupArrayIf(c, side = 2))) AS now_,
    arrayFirstIndex(i -> was[i] != now_[i], range(1, greatest(length(was), length(now_)) + 1)) AS k,
    if(k = 0, NULL, least(if(k <= length(was), was[k].1, ${NONE}), if(k <= length(now_), now_[k].1, ${NONE}))) AS floor,
    maxIf(version, side = 1) > {last_run_ms:Int64} AS in_flight,
    arrayConcat(${["1", "-1"].map((sign) => {
      const [from, other] = sign === "1" ? ["now_", "was"] : ["was", "now_"];
      return `arrayMap(e -> concat('{"sign":${sign},', substring(toJSONString(e), 2)),
        arrayFilter((e, n) -> n > countEqual(${other}, e), ${from}, arrayEnumerateUniq(${from})))`;
    }).join(", ")}) AS changes
  FROM (SELECT conversation_id, cycle, side, version, ${CONTRIBUTIONS_OF_ROW} AS c FROM (
    SELECT conversation_id, cycle, 1 AS side, version, ${columns} FROM cycle_rollup
    WHERE tenant_id = {tenant:UUID} AND started_ms_ >= {start_ms:Int64} AND ${hotPairs}
    ORDER BY version DESC LIMIT 1 BY started_ms_, conversation_id, cycle
    UNION ALL
    SELECT conversation_id, cycle, 2 AS side, toInt64(0) AS version, ${columns}
    FROM format(TabSeparatedWithNamesAndTypes, {hot_rows:String}) WHERE ${hotPairs}))
  GROUP BY conversation_id, cycle)`;
let diffText: string | undefined;

/**
 * The earliest instant of the hot cycles' facts (`FACT_INSTANTS`). `agent_time_sums` may hold an older version of such a
 * cycle, the rollup its new one soon, and a cycle with no start yet is in neither: every version puts its measures on
 * the hours of those instants, so on the hours before this one's the sums and the cycles agree. (A cycle whose opening
 * never arrives stays hot: its tenant's hours after it are read from the cycles, slower, not wrong.)
 */
async function coarseFloor(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]): Promise<number | null> {
  const result = await client.query({
    query: `SELECT toString(min(ms)) AS floor FROM cycle_facts_v2 ARRAY JOIN ${FACT_INSTANTS} AS ms
      WHERE tenant_id = {tenant:UUID} AND ${hotPairs}`,
    query_params: { tenant: tenantId, hot: hotPairsParam(hot) },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ floor: string }>();
  // No instant at all (min of none is 0): no version of these cycles is on any hour.
  return row === undefined || row.floor === "0" ? null : Number(row.floor);
}

/**
 * A bound below every hot cycle's compacted start: each cycle's hot row has the least start of all its facts, its
 * compacted row that of some of them (facts are only added). Past every start (all pending) no compacted row is read.
 */
function earliestStart(hotRows: string): string {
  const starts = hotRowsColumn(hotRows, "started_ms_").filter((ms) => ms !== NONE).map(BigInt);
  return starts.length === 0 ? NONE : String(starts.reduce((a, b) => (b < a ? b : a)));
}

/**
 * Past this many characters (a burst: ~350 a change, a few changes a hot cycle) the change stays out of the statements'
 * parameters, as the hot rows past theirs (`hot-rows.ts`): the board reads from the floor on.
 */
const MAX_DELTA_TEXT = 256 * 1024;

/** The hot floor, and with the hot rows what the hot cycles change in the sums (`agent-delta.ts`) when they change anything. */
export type HotSums = { floorMs: number | null; delta?: string };

/**
 * Where the hot cycles' contributions first differ from their compacted rows' (null: nowhere) and the difference
 * (`HotSums`), or undefined with a run in flight: a rollup row newer than the last recorded run may not have its sums
 * written yet (a run writes the sums after the rollup, and records itself last), so the sums may hold an older version
 * than the rollup shows.
 */
async function changedSums(client: ClickHouseClient, tenantId: string, inputs: FloorInputs & { hotRows: string }): Promise<HotSums | undefined> {
  const query = (diffText ??= diffSql());
  const result = await client.query({
    query,
    query_params: {
      tenant: tenantId, start_ms: earliestStart(inputs.hotRows), last_run_ms: inputs.lastRunMs,
      hot: hotPairsParam(inputs.hot), hot_rows: hotRowsFor(query, inputs.hotRows),
    },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ floor: string | null; in_flight: number; delta: string }>();
  if (row === undefined || Number(row.in_flight) === 1) return undefined;
  if (row.floor === null) return { floorMs: null };
  return { floorMs: Number(row.floor), ...(row.delta.length <= MAX_DELTA_TEXT ? { delta: row.delta } : {}) };
}

/** `hotRows`: the state's (`hot-rows.ts`), absent when it has none; `lastRunMs`: the last recorded run's clock (its rows' version). */
export type FloorInputs = { hot: RollupState["hot"]; hotRows?: string; lastRunMs: number; factsParts: string[] };

const floors = tenantCache<{ key: string; sums: HotSums }>();

/**
 * The hot floor and the sums' difference (`RollupState.hotFloorMs`, `agentDelta`): with the hot rows at hand where the
 * hot cycles start to change the sums and what they change; else (or with a run in flight) the coarse floor.
 * Kept for the same hot cycles, facts, runs and rows (the hot rows' own key, `hot-rows.ts`): a board polled while
 * nothing arrives, and every reader of one moment, reuse it.
 */
export async function hotSums(client: ClickHouseClient, tenantId: string, inputs: FloorInputs): Promise<HotSums> {
  if (inputs.hot.length === 0) return { floorMs: null };
  const key = JSON.stringify([inputs.hot, inputs.factsParts, inputs.lastRunMs, inputs.hotRows !== undefined]);
  const last = floors.get(client, tenantId);
  if (last?.key === key) return last.sums;
  const { hotRows } = inputs;
  const changed = hotRows === undefined ? undefined : await changedSums(client, tenantId, { ...inputs, hotRows });
  const sums = changed ?? { floorMs: await coarseFloor(client, tenantId, inputs.hot) };
  return floors.set(client, tenantId, { key, sums }).sums;
}
