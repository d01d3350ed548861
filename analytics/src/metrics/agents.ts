import { cycleKeys, eitherKey, extractInRange, overExactFrt, resolvedInRange, startedInRange, transferCyclesKey } from "../query/cycles.js";
import { implemented, onPass, overCycles, statAgg, t, type MetricDefinition, type Stat, type Text } from "./define.js";
import { keyedRows, type Pass } from "./pass.js";

/**
 * Dashboard 3: one row per agent (key = agent id). Attribution (spec/metrics.md): a response to who wrote
 * it, a resolution and a conversion to the assignee at resolve time, a transfer out to its source and in to
 * its target. "Handled": assignee at some point of a cycle overlapping the range, and wrote in that cycle.
 */

const agentFilter = (column: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${column} = {f_agent:Nullable(UUID)})`;
const overlapsRange = `start_at < {to:DateTime64(3, 'UTC')} AND (resolve_at IS NULL OR resolve_at >= {from:DateTime64(3, 'UTC')})`;
const fromMs = `toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')})`;
const toMs = `toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')})`;

const handledByAgent = `SELECT a AS agent, uniqExact(conversation_id) AS handled FROM cycles ARRAY JOIN handlers AS a
  WHERE ${overlapsRange} AND ${agentFilter("a")} GROUP BY a`;
const wonByAgent = `SELECT resolve_agent AS agent, count() AS won FROM cycles
  WHERE ${resolvedInRange} AND result = 'won' AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent`;

/** Events per agent from the hourly buckets (ranges count whole hours). */
const hourlyCount = (type: string, detail: string) => `SELECT toString(agent_id) AS key, toFloat64(uniqExactMerge(events)) AS value FROM activity_hourly
  WHERE tenant_id = {tenant:UUID} AND type = '${type}' AND detail = '${detail}'
    AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND ${agentFilter("agent_id")} AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id))
    AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})
  GROUP BY agent_id ORDER BY key`;

/**
 * Transfers out and in per agent, of transfers whose cycle passes the filters (channel, team, tag, territory: the
 * `cycles` CTE applies them): one pass (`pass.ts`) for both panels, (agent, n) sorted by agent (was a read each).
 */
const transferPass: Pass = {
  id: "agent transfers",
  sql: () => overCycles(`SELECT ${(["from_agent_id", "to_agent_id"] as const).map((side) => `sumMapIf(map(${side}, toUInt64(1)), ${side} != '' AND ${agentFilter(`toUUIDOrZero(${side})`)}) AS m_${side}`).join(", ")}
  FROM ${extractInRange("transfers")} AS e
  WHERE (conversation_id, cycle) IN (SELECT conversation_id, cycle FROM cycles)`, transferCyclesKey),
};
const transfersBy = (side: "from_agent_id" | "to_agent_id", id: string, name: Text, description: Text) => onPass({ id, name, description, unit: "count", kind: "breakdown" },
  { pass: transferPass, rows: keyedRows(`arraySort(e -> e.1, arrayZip(mapKeys(m_${side}), mapValues(m_${side})))`) });

const perAgent = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], sql: string) =>
  implemented({ id, name, description, unit, kind: "breakdown", sql: () => sql });

const timeByAgent = (id: string, stat: Stat, name: Text, description: Text, from: string, over: (select: string) => string = overCycles) =>
  perAgent(`${id}_${stat}`, { es: `${name.es} (${stat})`, en: `${name.en} (${stat})` }, description, "seconds", over(from.replace("$AGG", statAgg[stat]("v"))));
const overOverlapping = (select: string) => overCycles(select, cycleKeys.overlapping);
const overResolved = (select: string) => overCycles(select, cycleKeys.resolved);
const overStartedFrt = (select: string) => overExactFrt(select, cycleKeys.started);

export const agentMetrics: MetricDefinition[] = [
  perAgent("agent_conversations_handled", t("Conversaciones atendidas", "Conversations handled"),
    t("Conversaciones donde el agente fue asignado y escribió, en ciclos que tocan el rango.", "Conversations where the agent was assignee and wrote, in cycles touching the range."),
    "count", overOverlapping(`SELECT toString(agent) AS key, toFloat64(handled) AS value FROM (${handledByAgent}) ORDER BY key`)),
  perAgent("agent_conversations_resolved", t("Ciclos resueltos", "Cycles resolved"),
    t("Ciclos resueltos en el rango con el agente como asignado al resolver.", "Cycles resolved in the range with the agent as assignee at resolve."),
    "count", overResolved(`SELECT toString(resolve_agent) AS key, toFloat64(count()) AS value FROM cycles
      WHERE ${resolvedInRange} AND resolve_agent != toUUIDOrZero('') AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent ORDER BY key`)),
  perAgent("agent_messages_sent", t("Mensajes enviados", "Messages sent"), t("Mensajes escritos por el agente.", "Messages written by the agent."),
    "count", hourlyCount("message.sent", "agent")),
  perAgent("agent_notes_written", t("Notas internas", "Internal notes"), t("Notas internas escritas por el agente.", "Internal notes the agent wrote."),
    "count", hourlyCount("note.added", "")),
  ...(["avg", "p90"] as const).map((stat) => timeByAgent("agent_first_response_time", stat, t("Primera respuesta", "First response time"),
    t("Primera respuesta de ciclos iniciados en el rango, atribuida a quien la escribió.", "FRT of cycles started in the range, credited to whoever wrote it."),
    `SELECT toString(frt_agent) AS key, $AGG AS value FROM (SELECT frt_agent, frt AS v FROM frt_cycles WHERE ${startedInRange} AND frt IS NOT NULL AND ${agentFilter("frt_agent")}) GROUP BY frt_agent ORDER BY key`, overStartedFrt)),
  timeByAgent("agent_response_time", "avg", t("Tiempo de respuesta", "Response time"),
    t("Respuestas a rachas del cliente iniciadas en el rango, atribuidas a quien respondió.", "Responses to customer runs started in the range, credited to the responder."),
    `SELECT toString(r.2) AS key, $AGG AS value FROM (SELECT r, r.1 / 1000 AS v FROM cycles ARRAY JOIN responses AS r
      WHERE r.3 >= ${fromMs} AND r.3 < ${toMs} AND ${agentFilter("r.2")}) GROUP BY r.2 ORDER BY key`, overOverlapping),
  timeByAgent("agent_resolution_time", "avg", t("Tiempo de resolución", "Resolution time"),
    t("Inicio del ciclo → resolución, ciclos resueltos en el rango, del asignado al resolver.", "Cycle start → resolve, cycles resolved in the range, by assignee at resolve."),
    `SELECT toString(resolve_agent) AS key, $AGG AS value FROM (SELECT resolve_agent, resolution_s AS v FROM cycles
      WHERE ${resolvedInRange} AND resolve_agent != toUUIDOrZero('') AND ${agentFilter("resolve_agent")}) GROUP BY resolve_agent ORDER BY key`, overResolved),
  timeByAgent("agent_handle_time", "avg", t("Tiempo de gestión", "Handle time"),
    t("De cada asignación al agente hasta que deja de ser el asignado (tramos terminados en el rango).", "From each assignment to the agent until he stops being assignee (stints ended in the range)."),
    `SELECT toString(s.1) AS key, $AGG AS value FROM (SELECT s, (s.3 - s.2) / 1000 AS v FROM cycles ARRAY JOIN stints AS s
      WHERE s.3 >= ${fromMs} AND s.3 < ${toMs} AND ${agentFilter("s.1")}) GROUP BY s.1 ORDER BY key`, overOverlapping),
  perAgent("agent_csat_avg", t("CSAT promedio", "Average CSAT"), t("Promedio 1–5 de encuestas de ciclos resueltos en el rango por el agente.", "Mean 1–5 score of surveys on cycles the agent resolved in the range."),
    "score", overResolved(`SELECT toString(resolve_agent) AS key, avg(csat) AS value FROM cycles
      WHERE ${resolvedInRange} AND csat > 0 AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent ORDER BY key`)),
  perAgent("agent_conversions", t("Conversiones", "Conversions"), t("Ciclos ganados (won) resueltos en el rango, del asignado al resolver.", "Cycles won, resolved in the range, by assignee at resolve."),
    "count", overResolved(`SELECT toString(agent) AS key, toFloat64(won) AS value FROM (${wonByAgent}) ORDER BY key`)),
  perAgent("agent_conversion_rate", t("Tasa de conversión", "Conversion rate"), t("Conversiones / conversaciones atendidas.", "Conversions / conversations handled."),
    "share", overCycles(`SELECT toString(h.agent) AS key, w.won / h.handled AS value FROM (${handledByAgent}) AS h
      LEFT JOIN (${wonByAgent}) AS w ON w.agent = h.agent ORDER BY key`, eitherKey(cycleKeys.overlapping, cycleKeys.resolved))),
  implemented({
    id: "agent_revenue", unit: "money", kind: "breakdown",
    name: t("Ingresos", "Revenue"), description: t("Suma de montos ganados por agente y moneda (nunca se suman monedas distintas).", "Won deal values per agent and currency (currencies are never added together)."),
    sql: () => overResolved(`SELECT toString(resolve_agent) AS key, cur AS series, sum(deal) AS value FROM cycles
      WHERE ${resolvedInRange} AND result = 'won' AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent, cur ORDER BY key, series`),
  }),
  transfersBy("from_agent_id", "agent_transfers_out", t("Transferencias salientes", "Transfers out"), t("Transferencias desde el agente.", "Transfers from the agent.")),
  transfersBy("to_agent_id", "agent_transfers_in", t("Transferencias entrantes", "Transfers in"), t("Transferencias hacia el agente.", "Transfers to the agent.")),
  perAgent("agent_reopen_rate", t("Tasa de reapertura", "Reopen rate"),
    t("De los ciclos que el agente resolvió en el rango, los reabiertos dentro de la ventana.", "Of the cycles the agent resolved in the range, those reopened within the window."),
    "share", overCycles(`SELECT toString(r.agent) AS key, coalesce(o.reopened, 0) / r.resolved AS value
      FROM (SELECT resolve_agent AS agent, count() AS resolved FROM cycles WHERE ${resolvedInRange} AND resolve_agent != toUUIDOrZero('') AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent) AS r
      LEFT JOIN (SELECT prev_resolver AS agent, count() AS reopened FROM cycles WHERE is_reopen = 1
        AND prev_resolved_at >= {from:DateTime64(3, 'UTC')} AND prev_resolved_at < {to:DateTime64(3, 'UTC')} GROUP BY prev_resolver) AS o ON o.agent = r.agent
      ORDER BY key`)),
];
