import { latestAgentState } from "../query/agent-state.js";
import { agentFilter, cycleKeys } from "../query/cycles.js";
import { implemented, onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { columnValue, mapRows, type Pass } from "./pass.js";

/**
 * Dashboard 1: live operations. "Now" is the query's `to`: a cycle is live at `to` when it started before it
 * and was not resolved by then, its assignee is the last ownership event before it, and waits run until it.
 */

const nowMs = `toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')})`;

/**
 * Where the status changes that matter start: a live cycle's own changes come after it started, so none before the
 * oldest live start (less an hour, against clocks that disagree) can be a live cycle's last. Without this bound each
 * refresh read every status change of the tenant's history: at 627k changes the lookup alone took 313 ms against 16,
 * and the board 91 → 69 ms p50. With no live cycle it reads none.
 */
const statusSince = `fromUnixTimestamp64Milli(ifNull((SELECT minOrNull(started_ms_) FROM cycles WHERE ${cycleKeys.live.where}) - 3600000, {to_ms:Int64}), 'UTC')`;

/** Live cycles at `to` with their status and assignee then (status from the last status change before it). */
const liveCycles = `live AS (
  SELECT c.*, if(s.status = '', 'open', s.status) AS status_now,
    arrayLast(o -> o.1 <= ${nowMs}, owners).3 AS assignee_now,
    arrayFilter(m -> m.1 <= ${nowMs}, msgs) AS msgs_now,
    arrayLast(m -> m.2 = 2, msgs_now).1 AS last_reply_ms,
    arrayFirst(m -> m.2 = 1 AND m.1 > last_reply_ms, msgs_now).1 AS wait_from_ms
  FROM cycles AS c
  LEFT JOIN (
    SELECT conversation_id, toUInt32(JSONExtractUInt(payload, 'cycle')) AS cycle,
      argMax(JSONExtractString(payload, 'to'), (occurred_at, toString(id))) AS status
    -- PREWHERE by hand: inside this join ClickHouse read the payload of every row of the granules it kept before
    -- testing the type (~25 ms at 9M events with no status change at all).
    FROM events PREWHERE tenant_id = {tenant:UUID} AND type = 'conversation.status_changed' AND occurred_at <= {to:DateTime64(3, 'UTC')}
      AND occurred_at >= ${statusSince}
    GROUP BY conversation_id, cycle
  ) AS s ON s.conversation_id = c.conversation_id AND s.cycle = c.cycle
  WHERE c.started_ms_ <= {to_ms:Int64} AND (c.resolved_ms_ = 0 OR c.resolved_ms_ > {to_ms:Int64})
)`;
const overLive = (select: string) => overCycles(`, ${liveCycles}\n${select}`, cycleKeys.live);

/**
 * The board's "now" panels from one pass (`pass.ts`) over the live cycles, with each agent's latest presence and
 * capacity: each panel was a read of the live cycles (and of the status events) of its own.
 */
const pass: Pass = {
  id: "live_operations",
  sql: () => overLive(`SELECT countIf(status_now = 'open' AND ${agentFilter("assignee_now")}) AS open_n,
    countIf(status_now = 'pending' AND ${agentFilter("assignee_now")}) AS pending_n,
    countIf(status_now = 'open' AND assignee_now = toUUIDOrZero('') AND ${agentFilter("assignee_now")}) AS unassigned_n,
    maxOrNullIf((${nowMs} - wait_from_ms) / 1000, wait_from_ms > 0 AND ${agentFilter("assignee_now")}) AS oldest_s,
    countIf(wait_from_ms > 0 AND (${nowMs} - wait_from_ms) > {frt_target:UInt32} * 1000 AND ${agentFilter("assignee_now")}) AS at_risk_n,
    sumMapIf(map(toString(assignee_now), toUInt64(1)), assignee_now != toUUIDOrZero('') AND ${agentFilter("assignee_now")}) AS chats
  FROM live`),
};
// Each agent's latest presence and capacity at `to`, in one read of both: a pass of its own, not scalar subqueries of
// the live one, which ClickHouse ran before the statement started, one after the other. Values as the events wrote
// them (JSON: "online", 5).
const PRESENCE = "type = 'agent.presence_changed'";
const CAPACITY = "type = 'agent.capacity_changed'";
const agentStatesPass: Pass = {
  id: "agent states now",
  sql: () => `SELECT groupArrayIf(v, ${PRESENCE}) AS presences,
    CAST((groupArrayIf(toString(agent_id), ${CAPACITY}), groupArrayIf(v, ${CAPACITY})), 'Map(String, String)') AS capacities
  FROM (${latestAgentState(["agent.presence_changed", "agent.capacity_changed"], { bound: "{to:DateTime64(3, 'UTC')}", inclusive: true }, agentFilter("agent_id"))})`,
};
const stat = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], column: string) =>
  onPass({ id, name, description, unit, kind: "scalar" }, { pass, ...columnValue(column) });

const presenceNow = (presence: "online" | "away" | "offline", name: Text) => onPass({ id: `agents_${presence}_now`, name, unit: "count", kind: "scalar",
  description: t(`Agentes cuyo último cambio de presencia antes de "ahora" fue a ${presence}.`, `Agents whose last presence change before "now" was to ${presence}.`) },
{ pass: agentStatesPass, columns: ["presences"], unpack: (row) => [{ value: (row.presences as string[]).filter((v) => v === `"${presence}"`).length }] });

export const liveMetrics: MetricDefinition[] = [
  stat("open_now", t("Abiertas ahora", "Open now"), t("Conversaciones con estado abierto.", "Conversations with status open."), "count", "open_n"),
  stat("pending_now", t("En espera del cliente", "Pending now"), t("Conversaciones con estado pendiente (esperando al cliente).", "Conversations with status pending (waiting on the customer)."), "count", "pending_n"),
  stat("unassigned_now", t("Sin asignar (cola)", "Unassigned (queue)"), t("Abiertas sin agente asignado.", "Open with no human assignee."), "count", "unassigned_n"),
  stat("oldest_waiting_now", t("Espera más larga", "Oldest wait"), t("La espera actual más larga de un mensaje del cliente sin respuesta de agente después.", "Longest current wait of a customer message with no agent reply after it."),
    "seconds", "oldest_s"),
  stat("sla_at_risk_now", t("SLA en riesgo", "SLA at risk"), t("Conversaciones cuya espera actual supera el objetivo de primera respuesta.", "Conversations whose current wait exceeds the first-response target."),
    "count", "at_risk_n"),
  presenceNow("online", t("Agentes en línea", "Agents online")),
  presenceNow("away", t("Agentes ausentes", "Agents away")),
  presenceNow("offline", t("Agentes desconectados", "Agents offline")),
  onPass({
    id: "active_chats_by_agent_now", unit: "count", kind: "breakdown",
    name: t("Chats activos por agente", "Active chats by agent"), description: t("Chats abiertos o pendientes por agente (series = capacidad, si se conoce).", "Open or pending chats per agent (series = capacity, when known)."),
  }, { pass, columns: ["chats"], also: [{ pass: agentStatesPass, columns: ["capacities"] }], unpack: (row) => {
    const capacities = row.capacities as Record<string, string>;
    return mapRows(row.chats).map((r) => ({ ...r, series: capacities[r.key!] || null }));
  } }),
  implemented({
    id: "messages_per_minute_last_hour", unit: "per_minute", kind: "series",
    name: t("Mensajes por minuto (última hora)", "Messages per minute (last hour)"), description: t("Entrantes y salientes por minuto en la hora antes de \"ahora\".", "Inbound and outbound per minute in the hour before \"now\"."),
    sql: () => `SELECT formatDateTime(toStartOfMinute(toTimeZone(occurred_at, {tz:String})), '%Y-%m-%d %H:%i') AS bucket,
        if(type = 'message.received', 'inbound', 'outbound') AS series, toFloat64(uniqExact(id)) AS value
      FROM events WHERE tenant_id = {tenant:UUID} AND type IN ('message.received', 'message.sent')
        AND occurred_at >= {to:DateTime64(3, 'UTC')} - INTERVAL 1 HOUR AND occurred_at < {to:DateTime64(3, 'UTC')}
        AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})
        AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id))
      GROUP BY bucket, series ORDER BY bucket, series`,
  }),
  implemented({
    id: "queue_wait_last_hour_avg", unit: "seconds", kind: "scalar",
    name: t("Espera en cola (última hora)", "Queue wait (last hour)"), description: t("Tiempo hasta asignación de los ciclos asignados en la última hora.", "Time to assign of the cycles assigned in the last hour."),
    sql: () => overCycles(`SELECT avgOrNull(assign_s) AS value FROM cycles WHERE first_assign >= {to:DateTime64(3, 'UTC')} - INTERVAL 1 HOUR
      AND first_assign < {to:DateTime64(3, 'UTC')} AND ({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`, cycleKeys.assignedLastHour),
  }),
];
