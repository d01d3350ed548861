import { agentFilter, eitherKey, extractInRange, overCycles, transferCyclesIn, transferCyclesKey } from "../query/cycles.js";
import { outsideSums, summedBuckets } from "../query/cycle-columns.js";
import { transferSumsWindow, type MetricQuery } from "../query/input.js";
import type { Pass } from "./pass.js";

/**
 * The agent board's transfers out and in per agent (dashboard 3), of transfers whose cycle passes the filters (channel,
 * team, tag, territory: the `cycles` CTE applies them): one pass (`pass.ts`) for both panels, (agent, n) sorted by agent.
 * With none of those filters the test only asks that the cycle exist, and every cycle > 0 of an event is in `cycles`
 * (`cycle_facts_v2` keeps each, the rollup or its hot side reads each): the text then skips the cycles.
 */
const cycleFiltered = (q: MetricQuery) => {
  const f = q.filters ?? {};
  return [f.channelId, f.teamId, f.teamIds, f.tag, f.territory].some((v) => v !== undefined && v !== null);
};
const transferCounts = `SELECT ${(["from_agent_id", "to_agent_id"] as const).map((side) => `sumMapIf(map(${side}, toUInt64(1)), ${side} != '' AND ${agentFilter(`toUUIDOrZero(${side})`)}) AS m_${side}`).join(", ")}
  FROM ${extractInRange("transfers")} AS e`;
const ofFilteredCycles = "(conversation_id, cycle) IN (SELECT conversation_id, cycle FROM cycles)";

/**
 * With a channel, team, tag or territory filter, the range's whole hours before any hot cycle may change them are read
 * summed (`xfer_out_n`, `xfer_in_n` of `agent_time_sums`, migrations 0024–0027, under their cycle's channel, team, tags
 * and territory: `transferSumsWindow`), the rest from the cycles alive near it: finding every transfer's cycle among
 * those alive in the range cost ~45 ms at 9.7M events (30 days).
 */
const summed = `SELECT sumMapIf(map(toString(agent), toUInt64(xfer_out_n)), xfer_out_n > 0) AS m_from_agent_id,
    sumMapIf(map(toString(agent), toUInt64(xfer_in_n)), xfer_in_n > 0) AS m_to_agent_id
  FROM agent_time_sums FINAL WHERE ${summedBuckets("t_")} AND ${agentFilter("agent")}`;
const outsideWindow = eitherKey(transferCyclesIn("{from_ms:Int64}", "{t_sums_from_ms:Int64}"), transferCyclesIn("{t_sums_to_ms:Int64}", "{to_ms:Int64}"));

function filteredSql(q: MetricQuery): string {
  const w = transferSumsWindow(q);
  if (w.sums_to_ms <= w.sums_from_ms) return overCycles(`${transferCounts}\n  WHERE ${ofFilteredCycles}`, transferCyclesKey);
  if (w.sums_from_ms <= q.from.getTime() && w.sums_to_ms >= q.to.getTime()) return summed;
  const rest = `${transferCounts}\n  WHERE ${outsideSums("toUnixTimestamp64Milli(occurred_at)", "t_")} AND ${ofFilteredCycles}`;
  return overCycles(`SELECT sumMap(m_from_agent_id) AS m_from_agent_id, sumMap(m_to_agent_id) AS m_to_agent_id
  FROM (${summed}\n  UNION ALL\n  ${rest})`, outsideWindow);
}

export const transferPass: Pass = {
  id: "agent transfers",
  agentSums: true,
  sql: (q) => (cycleFiltered(q) ? filteredSql(q) : `${transferCounts}\n  WHERE cycle > 0`),
};
