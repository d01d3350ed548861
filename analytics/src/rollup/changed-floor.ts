import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { hotRowsFor } from "../query/cycles.js";
import { NONE } from "../query/cycle-columns.js";
import { CONTRIBUTIONS_OF_ROW } from "./agent-time-sums.js";
import type { RollupState } from "./state.js";
import { tenantCache } from "./tenant-cache.js";

/**
 * The earliest instant where a hot cycle puts something else in `agent_time_sums` than its compacted version does.
 * The sums hold the compacted version (the rollup's row, written with them by the run that recorded it); the board
 * reads the hot one (the state's hot rows). Before the first bucket their contributions differ in, both put the same
 * there, so the board may read those hours summed. A conversation is hot for its newest message, most often: its
 * runs, stints and resolve change at that message, while the earliest instant of its facts (the coarse floor) is its
 * start, hours or days back, and kept every hour since on the slower read of the cycles.
 */
const DIFF_SQL = `SELECT toString(min(floor)) AS floor, max(in_flight) AS in_flight FROM (
  SELECT arraySort(arrayFlatten(groupArrayIf(c, side = 1))) AS was, arraySort(arrayFlatten(groupArrayIf(c, side = 2))) AS now_,
    arrayFirstIndex(i -> was[i] != now_[i], range(1, greatest(length(was), length(now_)) + 1)) AS k,
    if(k = 0, NULL, least(if(k <= length(was), was[k].1, ${NONE}), if(k <= length(now_), now_[k].1, ${NONE}))) AS floor,
    maxIf(version, side = 1) > {last_run_ms:Int64} AS in_flight
  FROM (
    SELECT conversation_id, cycle, 1 AS side, version, ${CONTRIBUTIONS_OF_ROW} AS c FROM cycle_rollup FINAL
    WHERE tenant_id = {tenant:UUID} AND started_ms_ >= {coarse_ms:Int64} AND (conversation_id, cycle) IN {hot:Array(Tuple(UUID, UInt32))}
    UNION ALL
    SELECT conversation_id, cycle, 2 AS side, toInt64(0) AS version, ${CONTRIBUTIONS_OF_ROW} AS c
    FROM format(TabSeparatedWithNamesAndTypes, {hot_rows:String}) WHERE (conversation_id, cycle) IN {hot:Array(Tuple(UUID, UInt32))})
  GROUP BY conversation_id, cycle)`;

export type FloorInputs = { hot: RollupState["hot"]; hotRows: string; coarseMs: number; lastRunMs: number; factsParts: string[] };

const floors = tenantCache<{ key: string; floorMs: number | null }>();

/**
 * The hot cycles' changed floor, or the coarse one (`hotFloor`: their facts' earliest instant) while a run is in
 * flight: a rollup row newer than the last recorded run may not have its sums written yet (a run writes the sums after
 * the rollup, and records itself last), so the sums may hold an older version than the rollup shows. The old version's
 * start is one of its facts' instants, so none before the coarse floor (the rollup's sort key prunes on it).
 * Kept for the same hot cycles, facts and runs (the hot rows' own key, `hot-rows.ts`).
 */
export async function changedFloor(client: ClickHouseClient, tenantId: string, inputs: FloorInputs): Promise<number | null> {
  const key = JSON.stringify([inputs.hot, inputs.factsParts, inputs.lastRunMs, inputs.coarseMs]);
  const last = floors.get(client, tenantId);
  if (last?.key === key) return last.floorMs;
  const result = await client.query({
    query: DIFF_SQL,
    query_params: {
      tenant: tenantId, coarse_ms: inputs.coarseMs, last_run_ms: inputs.lastRunMs,
      hot: inputs.hot.map((pair) => new TupleParam(pair)), hot_rows: hotRowsFor(DIFF_SQL, inputs.hotRows),
    },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ floor: string | null; in_flight: number }>();
  const floorMs = row === undefined || Number(row.in_flight) === 1 ? inputs.coarseMs : row.floor === null ? null : Number(row.floor);
  return floors.set(client, tenantId, { key, floorMs }).floorMs;
}
