import { agentFilter, bucketExpr, extractInRange } from "../query/cycles.js";
import { eventFilters, eventTeamChannelFilters, hourlyCounts } from "../query/hourly.js";
import type { MetricQuery } from "../query/input.js";
import { implemented, onPass, t, type MetricDefinition, type Text } from "./define.js";
import { AGENT_KEY, AGENT_ROWS, APART, bucketRows, byCountThenKey, keyed, reportAgentsIn, share, sumsByKey, type Pass, type PassRow } from "./pass.js";
import { assignmentsPass } from "./assignments.js";
import { groupBuckets, inboundPass, inboundSeriesRows } from "./shared.js";

/**
 * Event counts from the hourly buckets (`activity_hourly`): ranges count whole hours, buckets are hours,
 * days or weeks in the query's zone (exact for zones on whole-hour offsets, which covers LATAM).
 * Dashboards 4, 5 and 9.
 */

const hourlyWhere = (types: string, detail: string, filters = eventFilters) => `tenant_id = {tenant:UUID} AND type IN (${types}) AND ${detail}
  AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
  AND ${filters}`;

/**
 * Template messages, whoever sent them: an agent writing after the 24-hour window (sender "agent") or an
 * automation. The hourly view keeps only the sender, so this one reads `template_messages` (migration 0006).
 */
const templatesSent = implemented({
  id: "templates_sent", name: t("Plantillas enviadas", "Templates sent"), unit: "count", kind: "series",
  description: t("Mensajes de plantilla aprobada, enviados por agentes o automatizaciones.", "Approved template messages, sent by agents or automations."),
  sql: (q: MetricQuery) => `SELECT ${bucketExpr("occurred_at", q.bucket ?? "day")} AS bucket, toFloat64(count()) AS value FROM ${extractInRange("template_messages")}
    WHERE ${eventFilters}
    GROUP BY bucket ORDER BY bucket`,
});

/** Events per (hour, detail): stored counts, or the id sets merged straight into these groups for hot hours (`hourly.ts`). */
const hourlyGroups = (type: string) => hourlyCounts(hourlyWhere(type, "1"), "hour, detail");

/**
 * Per (hour, detail) counts of one event type under the filters, as one pass (`pass.ts`): its row holds `groups`,
 * (hour, detail, n) tuples, and `buckets`, each group's bucket. A board's panels over the same type (messages by sender,
 * assignments by method, message statuses) share one pass over the hourly id sets, the costly part, instead of one each.
 */
const hourlyPasses = new Map<string, Pass>();
const hourlyPass = (type: string): Pass => {
  const pass = hourlyPasses.get(type) ?? {
    id: `hourly ${type}`,
    sql: (q) => `SELECT groups, ${groupBuckets(q)} FROM (SELECT groupArray((hour, detail, n)) AS groups FROM (${hourlyGroups(type)}))`,
  };
  hourlyPasses.set(type, pass);
  return pass;
};
/** A type's hourly pass, or a pass with the same `groups` and `buckets` (the assignments'). */
const passOf = (type: string | Pass): Pass => (typeof type === "string" ? hourlyPass(type) : type);

/** A count of events (`keep`: which ones, by detail) as a series in the query's bucket. */
const hourlySeries = (id: string, name: Text, description: Text, type: string | Pass, keep: (detail: string) => boolean = () => true) =>
  onPass({ id, name, description, unit: "count", kind: "series" }, { pass: passOf(type), columns: ["groups", "buckets"], unpack: (row) => {
    const groups = row.groups as HourGroup[];
    return bucketRows(sumsByKey(row.buckets as string[], groups.map((g) => g[2]), (i) => keep(groups[i]![1])));
  } });

/** The pass's groups as JSON gives them: (hour, detail, n). */
type HourGroup = [hour: string, detail: string, n: number];
/** Sum of `n` per detail over the whole range. */
function detailSums(row: PassRow): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [, detail, n] of row.groups as HourGroup[]) sums.set(detail, (sums.get(detail) ?? 0) + Number(n));
  return sums;
}
const byDetail = (id: string, name: Text, description: Text, type: string | Pass) => onPass({ id, name, description, unit: "count", kind: "breakdown" }, {
  pass: passOf(type), columns: ["groups"],
  unpack: (row) => [...detailSums(row)].map(([detail, n]) => keyed(detail, n)).sort(byCountThenKey),
});

/**
 * Message statuses (sent, delivered, read, failed) of the range under the filters, as `status_n` (status → n): the
 * delivery ratios' one read. Counted per agent (the message's author) and the agent tested after, so that a report by
 * agent groups the same counts by him (`AgentGroups`). From the hours, as the hourly passes: reading whole days by day
 * (`rangeCounts`) planned a second table, and the volume board, with no statuses in the bench's history, was 3-20 ms
 * slower for it.
 */
const statusPass: Pass = {
  id: "message statuses",
  sql: () => `SELECT ${AGENT_KEY}sumMap(map(detail, n)) AS status_n
  FROM (${hourlyCounts(hourlyWhere("'message.status'", "1", eventTeamChannelFilters), "detail, agent_id")})${AGENT_ROWS}
  WHERE ${agentFilter("agent_id")}${APART}`,
  columns: ["status_n"],
  byAgent: { candidates: reportAgentsIn("[agent_id]") },
};
const statusRatio = (id: string, name: Text, description: Text, part: string, whole: string) => onPass({ id, name, description, unit: "share", kind: "scalar" }, {
  pass: statusPass, columns: ["status_n"],
  unpack: (row) => {
    const n = (row.status_n ?? {}) as Record<string, unknown>;
    return [{ value: share(n[part], n[whole]) }];
  },
});

export const volumeMetrics: MetricDefinition[] = [
  onPass({ id: "messages_inbound", name: t("Mensajes entrantes", "Inbound messages"), description: t("Mensajes de clientes.", "Customer messages."), unit: "count", kind: "series" },
    { pass: inboundPass, columns: ["groups", "buckets", "agent_kept"], unpack: inboundSeriesRows }),
  hourlySeries("messages_outbound_agent", t("Mensajes de agentes", "Agent messages"), t("Mensajes salientes escritos por agentes.", "Outbound messages written by agents."), "'message.sent'", (d) => d === "agent"),
  hourlySeries("messages_outbound_automated", t("Mensajes automáticos", "Automated messages"), t("Mensajes del bot, automatizaciones y plantillas.", "Bot, automation and template messages."), "'message.sent'", (d) => d !== "agent"),
  // Rare kinds (auto-replies, timeout reassignments) from their type's pass too: a board that shows them reads that
  // pass anyway, while a statement of their own cost 30 ms of id sets (reading counts FINAL for a few rows, 60).
  hourlySeries("auto_replies_sent", t("Respuestas automáticas", "Auto-replies sent"), t("Mensajes de automatización (fuera de horario, encuestas).", "Automation messages (out of hours, surveys)."), "'message.sent'", (d) => d === "automation"),
  templatesSent,
  hourlySeries("assignments", t("Asignaciones", "Assignments"), t("Asignaciones a agentes o colas.", "Assignments to agents or queues."), assignmentsPass),
  byDetail("assignments_by_method", t("Asignaciones por método", "Assignments by method"), t("Asignaciones por método de asignación.", "Assignments by method."), assignmentsPass),
  onPass({ id: "assignments_by_agent", name: t("Asignaciones por agente", "Assignments by agent"), description: t("Asignaciones por agente asignado.", "Assignments by assigned agent."),
    unit: "count", kind: "breakdown" }, { pass: assignmentsPass, columns: ["by_agent"],
    unpack: (row) => (row.by_agent as Array<[string, number]>).map(([agent, n]) => keyed(agent, Number(n))).sort(byCountThenKey) }),
  hourlySeries("auto_reassignments", t("Reasignaciones automáticas", "Auto-reassignments"), t("Reasignaciones por inactividad o desconexión.", "Reassignments by inactivity or disconnect."), assignmentsPass, (d) => d === "reassign_timeout"),
  statusRatio("delivery_failure_rate", t("Tasa de fallas de entrega", "Delivery failure rate"), t("Fallidos / enviados.", "Failed / sent."), "failed", "sent"),
  statusRatio("read_rate", t("Tasa de lectura", "Read rate"), t("Leídos / entregados.", "Read / delivered."), "read", "delivered"),
];
