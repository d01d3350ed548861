import { cycleKeys } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition } from "./define.js";

/**
 * Dashboard 1: live operations. "Now" is the query's `to`: a cycle is live at `to` when it started before it
 * and was not resolved by then, its assignee is the last ownership event before it, and waits run until it.
 */

const nowMs = `toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')})`;
const agentFilter = (c: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${c} = {f_agent:Nullable(UUID)})`;

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
    FROM events WHERE tenant_id = {tenant:UUID} AND type = 'conversation.status_changed' AND occurred_at <= {to:DateTime64(3, 'UTC')}
    GROUP BY conversation_id, cycle
  ) AS s ON s.conversation_id = c.conversation_id AND s.cycle = c.cycle
  WHERE c.start_at <= {to:DateTime64(3, 'UTC')} AND (c.resolve_at IS NULL OR c.resolve_at > {to:DateTime64(3, 'UTC')})
)`;
const overLive = (select: string) => overCycles(`, ${liveCycles}\n${select}`, cycleKeys.live);

/** Latest presence (or capacity) of each agent at `to`, from the raw events (one agent, few events). */
const latestAgentValue = (type: string, field: string) => `SELECT agent_id, argMax(JSONExtractRaw(payload, '${field}'), (occurred_at, toString(id))) AS v
  FROM events WHERE tenant_id = {tenant:UUID} AND type = '${type}' AND occurred_at <= {to:DateTime64(3, 'UTC')} AND ${agentFilter("agent_id")}
  GROUP BY agent_id`;

const countLive = (id: string, name: ReturnType<typeof t>, description: ReturnType<typeof t>, where: string) => implemented({
  id, name, description, unit: "count", kind: "scalar",
  sql: () => overLive(`SELECT count() AS value FROM live WHERE ${where} AND ${agentFilter("assignee_now")}`),
});

const presenceNow = (presence: "online" | "away" | "offline", name: ReturnType<typeof t>) => implemented({
  id: `agents_${presence}_now`, name, unit: "count", kind: "scalar",
  description: t(`Agentes cuyo último cambio de presencia antes de "ahora" fue a ${presence}.`, `Agents whose last presence change before "now" was to ${presence}.`),
  sql: () => `SELECT count() AS value FROM (${latestAgentValue("agent.presence_changed", "to")}) WHERE v = '"${presence}"'`,
});

export const liveMetrics: MetricDefinition[] = [
  countLive("open_now", t("Abiertas ahora", "Open now"), t("Conversaciones con estado abierto.", "Conversations with status open."), "status_now = 'open'"),
  countLive("pending_now", t("En espera del cliente", "Pending now"), t("Conversaciones con estado pendiente (esperando al cliente).", "Conversations with status pending (waiting on the customer)."), "status_now = 'pending'"),
  countLive("unassigned_now", t("Sin asignar (cola)", "Unassigned (queue)"), t("Abiertas sin agente asignado.", "Open with no human assignee."), "status_now = 'open' AND assignee_now = toUUIDOrZero('')"),
  implemented({
    id: "oldest_waiting_now", unit: "seconds", kind: "scalar",
    name: t("Espera más larga", "Oldest wait"), description: t("La espera actual más larga de un mensaje del cliente sin respuesta de agente después.", "Longest current wait of a customer message with no agent reply after it."),
    sql: () => overLive(`SELECT maxOrNull((${nowMs} - wait_from_ms) / 1000) AS value FROM live WHERE wait_from_ms > 0 AND ${agentFilter("assignee_now")}`),
  }),
  countLive("sla_at_risk_now", t("SLA en riesgo", "SLA at risk"), t("Conversaciones cuya espera actual supera el objetivo de primera respuesta.", "Conversations whose current wait exceeds the first-response target."),
    `wait_from_ms > 0 AND (${nowMs} - wait_from_ms) > {frt_target:UInt32} * 1000`),
  presenceNow("online", t("Agentes en línea", "Agents online")),
  presenceNow("away", t("Agentes ausentes", "Agents away")),
  presenceNow("offline", t("Agentes desconectados", "Agents offline")),
  implemented({
    id: "active_chats_by_agent_now", unit: "count", kind: "breakdown",
    name: t("Chats activos por agente", "Active chats by agent"), description: t("Chats abiertos o pendientes por agente (series = capacidad, si se conoce).", "Open or pending chats per agent (series = capacity, when known)."),
    sql: () => overLive(`SELECT toString(l.assignee_now) AS key, toFloat64(count()) AS value, nullIf(any(cap.v), '') AS series FROM live AS l
      LEFT JOIN (${latestAgentValue("agent.capacity_changed", "to")}) AS cap ON cap.agent_id = l.assignee_now
      WHERE l.assignee_now != toUUIDOrZero('') AND ${agentFilter("l.assignee_now")} GROUP BY l.assignee_now ORDER BY key`),
  }),
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
      AND first_assign < {to:DateTime64(3, 'UTC')} AND ({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`),
  }),
];
