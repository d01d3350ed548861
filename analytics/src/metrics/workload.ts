import { latestAgentState } from "../query/agent-state.js";
import { cycleKeys } from "../query/cycles.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { keyed, type Pass, type PassRow, type RowsFromPass } from "./pass.js";
import { assignmentsPass } from "./assignments.js";

/**
 * Dashboard 4: time-weighted load from presence. Per agent, one sweep over the range: presence changes
 * (online or not) and the agent's chat stints (assignment → transfer, reassignment or resolve; open stints
 * run to the range end) become sorted points; between two points the agent is online or not and holds
 * `active` chats. Online time, the chat-time integral and occupied time are sums over those segments.
 */

const fromMs = "{from_ms:Int64}";
const toMs = "{to_ms:Int64}";
const agentFilter = (c: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${c} = {f_agent:Nullable(UUID)})`;

const sweepCtes = `,
presence AS (
  -- The changes inside the range, plus each agent's last change before it (his state when the range opens).
  SELECT agent_id AS agent, toUnixTimestamp64Milli(occurred_at) AS ms, toInt8(JSONExtractString(payload, 'to') = 'online') AS online
  FROM events WHERE tenant_id = {tenant:UUID} AND type = 'agent.presence_changed' AND ${agentFilter("agent_id")}
    AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
  LIMIT 1 BY id
  UNION ALL
  SELECT agent_id, ms, toInt8(v = '"online"') FROM (${latestAgentState("agent.presence_changed", { bound: "{from:DateTime64(3, 'UTC')}", inclusive: false }, agentFilter("agent_id"))})
),
chat_points AS (
  SELECT s.1 AS agent, arrayJoin([(greatest(s.2, ${fromMs}), toInt8(1)), (if(s.3 = -1, ${toMs}, least(s.3, ${toMs})), toInt8(-1))]) AS p
  FROM cycles ARRAY JOIN stints AS s WHERE s.2 < ${toMs} AND (s.3 = -1 OR s.3 > ${fromMs}) AND ${agentFilter("s.1")}
),
points AS (
  -- Each point as one sortable Int64: time * 16 + 8 unless it is a presence from before the range (it goes first) +
  -- (value + 1) * 2 + 1 if a chat ±1 (presence: value 1 online, 0 not). Sorting plain numbers instead of tuples by
  -- a lambda key took this pass from 260 to 150 ms at 9M events; the order is the same (time, original time, value).
  SELECT agent, greatest(ms, ${fromMs}) * 16 + if(ms >= ${fromMs}, 8, 0) + (online + 1) * 2 AS k FROM presence
  UNION ALL SELECT agent, p.1 * 16 + 8 + (p.2 + 1) * 2 + 1 FROM chat_points
),
sweep AS (
  SELECT agent,
    -- The range end is added here, not as a third branch reading \`presence\` again: it changes nothing for an
    -- agent never seen online (every segment of his counts as offline, and it adds 0 chats). It reads as a presence
    -- "not online", harmless: it sorts last and lasts 0.
    arrayPushBack(arraySort(groupArray(k)), ${toMs} * 16 + 8 + 2) AS pts,
    -- Presence is carried forward from its last change (-1: never seen, offline); chats are a running sum.
    arrayFill(x -> x >= 0, arrayMap(k -> if(k % 2 = 0, toInt8(intDiv(k % 8, 2) - 1), toInt8(-1)), pts)) AS online_now,
    arrayCumSum(arrayMap(k -> if(k % 2 = 1, intDiv(k % 8, 2) - 1, 0), pts)) AS active,
    -- Each segment lasts until the next point (the last one, the range end, lasts 0). Not pts[i + 1] in a lambda:
    -- that copies the whole array for every element (quadratic memory, 22 GiB at 9M events).
    arrayPushBack(arrayPopFront(arrayDifference(arrayMap(k -> intDiv(k, 16), pts))), 0) AS dur,
    arraySum(arrayMap((d, o) -> if(o = 1, d, 0), dur, online_now)) AS online_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1, d * a, 0), dur, online_now, active)) AS chat_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1 AND a > 0, d, 0), dur, online_now, active)) AS occupied_ms,
    arrayMax(active) AS max_active
  FROM points GROUP BY agent
  -- Two-level: the agents come out in buckets, so the sweep's array functions above run on both cores instead of
  -- over one block of every agent (a pass of 95 ms took 76 at 9.7M events). Other groupings of the board gained nothing.
  SETTINGS group_by_two_level_threshold = 1
)`;

const capacity = `SELECT agent_id, toFloat64(JSONExtractUInt(v)) AS cap
  FROM (${latestAgentState("agent.capacity_changed", { bound: "{to:DateTime64(3, 'UTC')}", inclusive: false }, "1")})`;

/**
 * The sweep's per-agent totals (agent as text, online, chat and occupied ms, most chats), sorted by agent: one pass
 * (`pass.ts`) for the board's six panels on them, which each read the sweep (1 s at 9M events) or, sharing it as a
 * scalar subquery, still had it analysed once each.
 */
const pass: Pass = {
  id: "workload",
  sql: () => overCycles(`${sweepCtes}
SELECT arraySort(l -> l.1, groupArray((toString(agent), online_ms, chat_ms, occupied_ms, max_active))) AS load
FROM sweep`, cycleKeys.overlapping),
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
