import { cycleKeys } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition, type Text } from "./define.js";

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
  SELECT agent_id, toUnixTimestamp64Milli(max(occurred_at)), toInt8(argMax(JSONExtractString(payload, 'to'), (occurred_at, toString(id))) = 'online')
  FROM events WHERE tenant_id = {tenant:UUID} AND type = 'agent.presence_changed' AND ${agentFilter("agent_id")} AND occurred_at < {from:DateTime64(3, 'UTC')}
  GROUP BY agent_id
),
chat_points AS (
  SELECT s.1 AS agent, arrayJoin([(greatest(s.2, ${fromMs}), toInt8(1)), (if(s.3 = -1, ${toMs}, least(s.3, ${toMs})), toInt8(-1))]) AS p
  FROM cycles ARRAY JOIN stints AS s WHERE s.2 < ${toMs} AND (s.3 = -1 OR s.3 > ${fromMs}) AND ${agentFilter("s.1")}
),
points AS (
  -- (time, original time, kind 0 presence | 1 chat ±1 | 2 range end, value); presence before the range counts from its start.
  SELECT agent, greatest(ms, ${fromMs}) AS at, ms AS seq, 0 AS kind, online AS v FROM presence
  UNION ALL SELECT agent, p.1, p.1, 1, p.2 FROM chat_points
),
sweep AS (
  SELECT agent,
    -- The range end is added here, not as a third branch reading \`presence\` again: it changes nothing for an
    -- agent never seen online (every segment of his counts as offline, and it adds 0 chats).
    arraySort(x -> (x.1, x.2, x.4), arrayPushBack(groupArray((at, seq, kind, v)), (${toMs}, ${toMs}, 2, 0))) AS pts,
    -- Presence is carried forward from its last change (-1: never seen, offline); chats are a running sum.
    arrayFill(x -> x >= 0, arrayMap(x -> if(x.3 = 0, toInt8(x.4), toInt8(-1)), pts)) AS online_now,
    arrayCumSum(arrayMap(x -> if(x.3 = 1, toInt64(x.4), 0), pts)) AS active,
    -- Each segment lasts until the next point (the last one, the range end, lasts 0). Not pts[i + 1] in a lambda:
    -- that copies the whole array for every element (quadratic memory, 22 GiB at 9M events).
    arrayPushBack(arrayPopFront(arrayDifference(arrayMap(x -> x.1, pts))), 0) AS dur,
    arraySum(arrayMap((d, o) -> if(o = 1, d, 0), dur, online_now)) AS online_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1, d * a, 0), dur, online_now, active)) AS chat_ms,
    arraySum(arrayMap((d, o, a) -> if(o = 1 AND a > 0, d, 0), dur, online_now, active)) AS occupied_ms,
    arrayMax(active) AS max_active
  FROM points GROUP BY agent
)`;

/**
 * The sweep's per-agent totals as one scalar subquery. ClickHouse computes an identical scalar subquery once
 * per statement, so the five panels reading `load` in a dashboard's one statement share a single sweep
 * (it was the board's cost five times over: 1 s each at 9M events).
 */
const sweepTotals = `(${overCycles(`${sweepCtes}\nSELECT groupArray((agent, online_ms, chat_ms, occupied_ms, max_active)) FROM sweep`, cycleKeys.overlapping)})`;
const overLoad = (select: string) => `WITH load AS (
  SELECT l.1 AS agent, l.2 AS online_ms, l.3 AS chat_ms, l.4 AS occupied_ms, l.5 AS max_active FROM (SELECT arrayJoin(${sweepTotals}) AS l)
)
${select}`;

const capacity = `SELECT agent_id, toFloat64(argMax(JSONExtractUInt(payload, 'to'), (occurred_at, toString(id)))) AS cap
  FROM events WHERE tenant_id = {tenant:UUID} AND type = 'agent.capacity_changed' AND occurred_at < {to:DateTime64(3, 'UTC')} GROUP BY agent_id`;

const perAgent = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, value: string, where = "1") => implemented({
  id, unit, kind: "breakdown", name, description,
  sql: () => overLoad(`SELECT toString(agent) AS key, ${value} AS value FROM load WHERE ${where} ORDER BY key`),
});

export const workloadMetrics: MetricDefinition[] = [
  perAgent("online_time_by_agent", "seconds", t("Tiempo en línea", "Online time"), t("Segundos en línea en el rango, por agente.", "Seconds online in the range, per agent."),
    "online_ms / 1000", "online_ms > 0"),
  perAgent("concurrent_chats_avg", "count", t("Chats simultáneos (promedio ponderado)", "Concurrent chats (time-weighted)"),
    t("Chats asignados (abiertos o pendientes) integrados sobre el tiempo en línea, / tiempo en línea.", "Assigned chats (open or pending) integrated over online time, / online time."),
    "chat_ms / online_ms", "online_ms > 0"),
  perAgent("concurrent_chats_max", "count", t("Chats simultáneos (máximo)", "Concurrent chats (max)"), t("Máximo de chats asignados a la vez en el rango.", "Most chats assigned at once in the range."),
    "toFloat64(max_active)"),
  perAgent("occupancy", "share", t("Ocupación", "Occupancy"), t("Parte del tiempo en línea con al menos un chat activo.", "Share of online time with at least one active chat."),
    "occupied_ms / online_ms", "online_ms > 0"),
  implemented({
    id: "capacity_utilization", unit: "share", kind: "breakdown",
    name: t("Uso de capacidad", "Capacity utilization"), description: t("Chats simultáneos promedio / capacidad (la vigente al final del rango).", "Time-weighted concurrent chats / capacity (as of the range end)."),
    sql: () => overLoad(`SELECT toString(l.agent) AS key, (l.chat_ms / l.online_ms) / c.cap AS value FROM load AS l
      INNER JOIN (${capacity}) AS c ON c.agent_id = l.agent WHERE l.online_ms > 0 AND c.cap > 0 ORDER BY key`),
  }),
  implemented({
    id: "assignment_balance", unit: "share", kind: "scalar",
    name: t("Equilibrio de asignaciones", "Assignment balance"), description: t("Coeficiente de variación de asignaciones entre los agentes en línea en el rango (0 = parejo).", "Coefficient of variation of assignments across agents online in the range (0 = even)."),
    sql: () => overLoad(`SELECT if(count() = 0 OR avg(n) = 0, NULL, stddevPop(n) / avg(n)) AS value FROM (
      SELECT l.agent, toFloat64(coalesce(a.n, 0)) AS n FROM load AS l LEFT JOIN (
        SELECT agent_id, uniqExactMerge(events) AS n FROM activity_hourly WHERE tenant_id = {tenant:UUID} AND type = 'conversation.assigned'
          AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')} GROUP BY agent_id) AS a ON a.agent_id = l.agent
      WHERE l.online_ms > 0)`),
  }),
];
