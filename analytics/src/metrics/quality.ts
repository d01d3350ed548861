import { cycleAgentFilter, cycleKeys, resolvedInRange, type CycleKey } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { resolvedCounts, startedCounts } from "./shared.js";

/**
 * Dashboard 6: reopenings and CSAT. A reopen belongs to the range its previous resolve fell in, so
 * reopens / resolved compare the same cycles. A message after the reopen window starts a new conversation
 * (the router decides), so it is never a reopen here.
 */

const resolvedScope = `${resolvedInRange} AND ${cycleAgentFilter}`;
const reopenedScope = `is_reopen = 1 AND prev_resolved_at >= {from:DateTime64(3, 'UTC')} AND prev_resolved_at < {to:DateTime64(3, 'UTC')}`;
const noAgentMessage = `length(responders) = 0`;

/** `keys`: the cycles the select can count (none: every cycle, for selects that look at more than one range). */
const scalar = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, select: string, keys: CycleKey | null = null) =>
  implemented({ id, unit, kind: "scalar", name, description, sql: () => overCycles(select, keys) });

export const qualityMetrics: MetricDefinition[] = [
  scalar("reopens", "count", t("Reaperturas", "Reopens"), t("Ciclos reabiertos cuya resolución previa cayó en el rango.", "Reopened cycles whose previous resolve fell in the range."),
    `SELECT count() AS value FROM cycles WHERE ${reopenedScope} AND ({f_agent:Nullable(UUID)} IS NULL OR prev_resolver = {f_agent:Nullable(UUID)})`),
  scalar("reopen_rate", "share", t("Tasa de reapertura", "Reopen rate"), t("Ciclos resueltos en el rango que fueron reabiertos / ciclos resueltos.", "Cycles resolved in the range later reopened / cycles resolved."),
    `SELECT if(r = 0, NULL, o / r) AS value FROM (SELECT countIf(${resolvedScope}) AS r, countIf(${reopenedScope} AND ({f_agent:Nullable(UUID)} IS NULL OR prev_resolver = {f_agent:Nullable(UUID)})) AS o FROM cycles)`),
  scalar("time_to_reopen_avg", "seconds", t("Tiempo hasta reapertura (promedio)", "Time to reopen (average)"), t("Resolución → reapertura.", "Resolve → reopen."),
    `SELECT avgOrNull(dateDiff('millisecond', prev_resolved_at, start_at) / 1000) AS value FROM cycles WHERE ${reopenedScope}`),
  scalar("first_contact_resolution_rate", "share", t("Resolución al primer contacto", "First contact resolution"),
    t("Ciclos resueltos en el rango sin transferencias y no reabiertos / ciclos resueltos.", "Cycles resolved in the range with no transfer and not reopened / cycles resolved."),
    `SELECT if(count() = 0, NULL, countIf(c.transfer_n = 0 AND n.cycle = 0) / count()) AS value FROM cycles AS c
      LEFT JOIN (SELECT conversation_id, cycle - 1 AS cycle FROM cycles WHERE is_reopen = 1) AS n ON n.conversation_id = c.conversation_id AND n.cycle = c.cycle
      WHERE c.resolve_at >= {from:DateTime64(3, 'UTC')} AND c.resolve_at < {to:DateTime64(3, 'UTC')} AND c.result NOT IN ('abandoned', 'expired')`),
  scalar("abandoned", "count", t("Abandonadas", "Abandoned"), t("Ciclos resueltos o vencidos en el rango sin ningún mensaje de agente.", "Cycles resolved or expired in the range with no agent message."),
    `SELECT count() AS value FROM cycles WHERE ${resolvedScope} AND ${noAgentMessage}`, cycleKeys.resolved),
  scalar("abandonment_rate", "share", t("Tasa de abandono", "Abandonment rate"), t("Abandonadas / ciclos resueltos o vencidos en el rango.", "Abandoned / cycles resolved or expired in the range."),
    `SELECT if(count() = 0, NULL, countIf(${noAgentMessage}) / count()) AS value FROM cycles WHERE ${resolvedScope}`, cycleKeys.resolved),
  scalar("csat_avg", "score", t("CSAT promedio", "Average CSAT"), t("Promedio 1–5 de las encuestas respondidas de ciclos resueltos en el rango.", "Mean 1–5 of answered surveys of cycles resolved in the range."),
    `SELECT avgIf(csat, csat > 0) AS value FROM cycles WHERE ${resolvedScope}`, cycleKeys.resolved),
  implemented({
    id: "csat_distribution", unit: "count", kind: "breakdown",
    name: t("Distribución CSAT", "CSAT distribution"), description: t("Encuestas por puntaje 1–5.", "Surveys by score 1–5."),
    sql: () => overCycles(`SELECT toString(s) AS key, toFloat64(countIf(csat = s)) AS value FROM cycles ARRAY JOIN [1, 2, 3, 4, 5] AS s
      WHERE ${resolvedScope} GROUP BY s ORDER BY s`, cycleKeys.resolved),
  }),
  scalar("csat_response_rate", "share", t("Tasa de respuesta CSAT", "CSAT response rate"), t("Encuestas respondidas / enviadas.", "Answered surveys / sent."),
    `SELECT if(countIf(csat_asked = 1) = 0, NULL, countIf(csat_asked = 1 AND csat > 0) / countIf(csat_asked = 1)) AS value FROM cycles WHERE ${resolvedScope}`, cycleKeys.resolved),
  scalar("csat_satisfied_share", "share", t("Clientes satisfechos", "Satisfied share"), t("Encuestas con 4 o 5 / respondidas.", "Surveys scored 4–5 / answered."),
    `SELECT if(countIf(csat > 0) = 0, NULL, countIf(csat >= 4) / countIf(csat > 0)) AS value FROM cycles WHERE ${resolvedScope}`, cycleKeys.resolved),
];

/** A value from one of the shared counts (`shared.ts`): its select needs no cycles of its own. */
const fromShared = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, select: string) =>
  implemented({ id, unit, kind: "scalar", name, description, sql: () => select });

/** Dashboard 9 (part): automation over cycles. */
export const automationMetrics: MetricDefinition[] = [
  fromShared("bot_handled", "count", t("Atendidas por el bot", "Handled by the bot"), t("Ciclos resueltos por el bot en el rango sin asignación a un humano.", "Cycles resolved by the bot in the range with no human assignment."),
    `SELECT tupleElement(${resolvedCounts}, 2) AS value`),
  fromShared("bot_containment_rate", "share", t("Contención del bot", "Bot containment"), t("Ciclos resueltos por el bot sin humano / ciclos resueltos en el rango.", "Cycles the bot resolved with no human / cycles resolved in the range."),
    `SELECT if(c.3 = 0, NULL, c.2 / c.3) AS value FROM (SELECT ${resolvedCounts} AS c)`),
  fromShared("conversations_opened", "count", t("Conversaciones abiertas", "Conversations opened"), t("Ciclos iniciados (nuevos, sin reaperturas) en el rango.", "Cycles started (new, not reopens) in the range."),
    `SELECT tupleElement(${startedCounts}, 1) AS value`),
  fromShared("conversations_reopened", "count", t("Conversaciones reabiertas", "Conversations reopened"), t("Reaperturas ocurridas en el rango.", "Reopens that happened in the range."),
    `SELECT tupleElement(${startedCounts}, 2) AS value`),
  fromShared("conversations_resolved", "count", t("Conversaciones resueltas", "Conversations resolved"), t("Ciclos resueltos en el rango (cualquier resultado).", "Cycles resolved in the range (any outcome)."),
    `SELECT tupleElement(${resolvedCounts}, 1) AS value`),
];
