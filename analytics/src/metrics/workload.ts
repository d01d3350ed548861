import { latestAgentState } from "../query/agent-state.js";
import { agentFilter, cycleKeys } from "../query/cycles.js";
import { NIL } from "../query/cycle-columns.js";
import { loadWindow, type MetricQuery } from "../query/input.js";
import { pointCtes, timelineColumns, type SweepBounds } from "../query/load-sweep.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { keyed, type Pass, type PassRow, type RowsFromPass } from "./pass.js";
import { assignmentsPass } from "./assignments.js";

/**
 * Dashboard 4: time-weighted load from presence. Per agent, a sweep (`query/load-sweep.ts`): presence changes
 * (online or not) and the agent's chat stints (assignment → transfer, reassignment or resolve; open stints
 * run to the range end) become sorted points; between two points the agent is online or not and holds
 * `active` chats. Online time, the chat-time integral and occupied time are sums over those segments. The range's
 * whole compacted hours are read summed from `agent_load_hours` (the same sweep per hour, migration 0019), and only
 * the rest is swept (`loadWindow`).
 */


/** The sweep's part of the range: from where the hours read summed end (`loadWindow`), the whole range without them. */
const live: SweepBounds = { from: "{load_from:DateTime64(3, 'UTC')}", to: "{to:DateTime64(3, 'UTC')}", fromMs: "{load_from_ms:Int64}", toMs: "{to_ms:Int64}", agents: agentFilter };

/** The sweep's CTEs; without `chats`, over presence alone (`pointCtes`). */
const sweepCtes = (chats: boolean) => `${pointCtes(live, chats)},
sweep AS (
  SELECT agent, ${timelineColumns(live.toMs)},
    arraySum(arrayMap((d, o) -> if(o = 1, d, 0), dur, online_now)) AS online_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1, d * a, 0), dur, online_now, active)) AS chat_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1 AND a > 0, d, 0), dur, online_now, active)) AS occupied_ms,
    arrayMax(active) AS max_active
  FROM points GROUP BY agent
  -- Two-level: the agents come out in buckets, so the sweep's array functions above run on both cores instead of
  -- over one block of every agent (a pass of 95 ms took 76 at 9.7M events). Other groupings of the board gained nothing.
  SETTINGS group_by_two_level_threshold = 1
)`;

/**
 * The range's whole hours before the sweep's part, summed per agent (migration 0019): times add up, maxima take the
 * greatest. Chats from the rows of the view's team (`load_team`: nil, every team's), online time from every team's
 * (0023: the agent's, whatever chats he holds).
 */
const ofTeam = `team = {load_team:UUID}`;
const summedHours = `SELECT agent_id AS agent, sumIf(online_ms, team = ${NIL}) AS online_ms, sumIf(chat_ms, ${ofTeam}) AS chat_ms,
    sumIf(occupied_ms, ${ofTeam}) AS occupied_ms, maxIf(max_active, ${ofTeam}) AS max_active
  FROM agent_load_hours FINAL
  WHERE tenant_id = {tenant:UUID} AND hour >= {from:DateTime64(3, 'UTC')} AND hour < {load_from:DateTime64(3, 'UTC')} AND ${agentFilter("agent_id")}
    AND team IN (${NIL}, {load_team:UUID})
  GROUP BY agent_id`;
const loads = (q: MetricQuery) => loadWindow(q).load_from_ms === q.from.getTime() ? "sweep"
  : `(SELECT agent, sum(online_ms) AS online_ms, sum(chat_ms) AS chat_ms, sum(occupied_ms) AS occupied_ms, max(max_active) AS max_active
  FROM (SELECT agent, online_ms, chat_ms, occupied_ms, max_active FROM sweep UNION ALL ${summedHours}) GROUP BY agent)`;
const loadSelect = (q: MetricQuery) => `SELECT arraySort(l -> l.1, groupArray((toString(agent), online_ms, chat_ms, occupied_ms, max_active))) AS load
FROM ${loads(q)}`;

const capacity = `SELECT agent_id, toFloat64(JSONExtractUInt(v)) AS cap
  FROM (${latestAgentState("agent.capacity_changed", { bound: "{to:DateTime64(3, 'UTC')}", inclusive: false }, "1")})`;

/**
 * The sweep's per-agent totals (agent as text, online, chat and occupied ms, most chats), sorted by agent: one pass
 * (`pass.ts`) for the board's six panels on them, which each read the sweep (1 s at 9M events) or, sharing it as a
 * scalar subquery, still had it analysed once each.
 */
const pass: Pass = {
  id: "workload",
  agentLoad: true,
  // The sweep is per agent, and each agent's sums his own rows: his filter leaves his entry of every agent's `load`.
  byAgent: { split: (row, agent) => ({ load: loadOf(row).filter((l) => l[0] === agent.toLowerCase()) }), columns: ["load"] },
  // A range of whole hours all read summed sweeps presence alone, for the agents it holds (one offline all along and
  // without chats has no hours), and reads no cycles.
  sql: (q) => loadWindow(q).load_from_ms === q.to.getTime() ? `WITH ${sweepCtes(false)}\n${loadSelect(q)}`
    : overCycles(`, ${sweepCtes(true)}\n${loadSelect(q)}`, cycleKeys.overlappingLoad),
};
// Each agent's capacity and assignments (the board's assignments pass), passes the two panels on them read too
// (`also`): as scalar subqueries of the sweep's they ran before the statement started, one after the other.
const capsPass: Pass = { id: "capacities", sql: () => `SELECT CAST((groupArray(toString(agent_id)), groupArray(cap)), 'Map(String, Float64)') AS caps FROM (${capacity})` };
/** One agent's sweep totals in the pass's `load`: (agent, online ms, chat ms, occupied ms, most chats), by agent. */
type Load = [agent: string, onlineMs: number, chatMs: number, occupiedMs: number, maxActive: number];
const loadOf = (row: PassRow) => row.load as Load[];
/** Agents online in the range, with their totals. */
const online = (row: PassRow) => loadOf(row).filter((l) => l[1] > 0);
const assignedTo = (row: PassRow, agent: string) => Number((row.assigned_n as Record<string, number>)[agent] ?? 0);

const perAgent = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, unpack: RowsFromPass) =>
  onPass({ id, unit, kind: "breakdown", name, description }, { pass, columns: ["load"], unpack });

/** Coefficient of variation (population standard deviation / mean); null with no values or a zero mean. */
function variation(values: number[]): number | null {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 0 || mean === 0) return null;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) / mean;
}

export const workloadMetrics: MetricDefinition[] = [
  perAgent("online_time_by_agent", "seconds", t("Tiempo en línea", "Online time"), t("Segundos en línea en el rango, por agente.", "Seconds online in the range, per agent."),
    (row) => online(row).map((l) => keyed(l[0], l[1] / 1000))),
  perAgent("concurrent_chats_avg", "count", t("Chats simultáneos (promedio ponderado)", "Concurrent chats (time-weighted)"),
    t("Chats asignados (abiertos o pendientes) integrados sobre el tiempo en línea, / tiempo en línea.", "Assigned chats (open or pending) integrated over online time, / online time."),
    (row) => online(row).map((l) => keyed(l[0], l[2] / l[1]))),
  perAgent("concurrent_chats_max", "count", t("Chats simultáneos (máximo)", "Concurrent chats (max)"), t("Máximo de chats asignados a la vez en el rango.", "Most chats assigned at once in the range."),
    (row) => loadOf(row).map((l) => keyed(l[0], l[4]))),
  perAgent("occupancy", "share", t("Ocupación", "Occupancy"), t("Parte del tiempo en línea con al menos un chat activo.", "Share of online time with at least one active chat."),
    (row) => online(row).map((l) => keyed(l[0], l[3] / l[1]))),
  onPass({ id: "capacity_utilization", unit: "share", kind: "breakdown", name: t("Uso de capacidad", "Capacity utilization"),
    description: t("Chats simultáneos promedio / capacidad (la vigente al final del rango).", "Time-weighted concurrent chats / capacity (as of the range end).") },
  { pass, columns: ["load"], also: [{ pass: capsPass, columns: ["caps"] }], unpack: (row) => {
    const caps = row.caps as Record<string, number>;
    return online(row).filter((l) => Number(caps[l[0]] ?? 0) > 0).map((l) => keyed(l[0], l[2] / l[1] / Number(caps[l[0]])));
  } }),
  onPass({
    id: "assignment_balance", unit: "share", kind: "scalar",
    name: t("Equilibrio de asignaciones", "Assignment balance"), description: t("Coeficiente de variación de asignaciones entre los agentes en línea en el rango (0 = parejo).", "Coefficient of variation of assignments across agents online in the range (0 = even)."),
  }, { pass, columns: ["load"], also: [{ pass: assignmentsPass, columns: ["assigned_n"] }], unpack: (row) => [{ value: variation(online(row).map((l) => assignedTo(row, l[0]))) }] }),
];
