import { businessHoursParams } from "../query/business-hours.js";
import { cycleAgentFilter, cycleKeys, overExactFrt, startedInRange } from "../query/cycles.js";
import { implemented, overCycles, t, timeVariants, type MetricDefinition } from "./define.js";

/** Dashboard 2: response times and SLA. A cycle belongs to the range it started in. */

const inScope = `${startedInRange} AND ${cycleAgentFilter}`;
const target = `{frt_target:UInt32}`;
const toMs = `toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')})`;
const fromMs = `toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')})`;

/**
 * Business seconds of the first response: cum(reply) − cum(run start) over the team's open windows, where
 * cum(x) = open ms before the last window started by x + the part of that window up to x.
 */
const frtBusinessSeconds = `(
  if(indexOf({bh_teams:Array(UUID)}, team) = 0, frt_to_ms - frt_from_ms,
    (arrayCount(s -> s <= frt_to_ms, {bh_starts:Array(Array(Int64))}[indexOf({bh_teams:Array(UUID)}, team)]) AS ib,
     arrayCount(s -> s <= frt_from_ms, {bh_starts:Array(Array(Int64))}[indexOf({bh_teams:Array(UUID)}, team)]) AS ia,
     {bh_starts:Array(Array(Int64))}[indexOf({bh_teams:Array(UUID)}, team)] AS ws,
     {bh_ends:Array(Array(Int64))}[indexOf({bh_teams:Array(UUID)}, team)] AS we,
     {bh_before:Array(Array(Int64))}[indexOf({bh_teams:Array(UUID)}, team)] AS wb,
     if(ib = 0, 0, wb[ib] + least(frt_to_ms, we[ib]) - ws[ib]) - if(ia = 0, 0, wb[ia] + least(frt_from_ms, we[ia]) - ws[ia])).6
  ) / 1000)`;

export const responseTimeMetrics: MetricDefinition[] = [
  ...timeVariants("first_response_time", ["avg", "p50", "p90"],
    t("Tiempo de primera respuesta", "First response time"),
    t("Por ciclo: del primer mensaje del cliente al primer mensaje de un agente después de él.",
      "Per cycle: from the customer's first message to the first agent message after it."),
    (agg) => ({ kind: "scalar", sql: () => overExactFrt(`SELECT ${agg("frt")} AS value FROM frt_cycles WHERE ${inScope} AND frt IS NOT NULL`, cycleKeys.started) })),
  ...timeVariants("first_response_time_bh", ["avg", "p90"],
    t("Tiempo de primera respuesta (horario laboral)", "First response time (business hours)"),
    t("Como el tiempo de primera respuesta, contando solo los segundos dentro del horario del equipo (zona, feriados).",
      "As first response time, counting only seconds inside the team's schedule (its zone, its holidays)."),
    (agg) => ({
      kind: "scalar",
      params: (q) => businessHoursParams(q.teamSchedules, q.from, q.to),
      sql: () => overExactFrt(`SELECT ${agg(frtBusinessSeconds)} AS value FROM frt_cycles WHERE ${inScope} AND frt IS NOT NULL`, cycleKeys.started),
    })),
  ...timeVariants("response_time", ["avg", "p50", "p90"],
    t("Tiempo de respuesta", "Response time"),
    t("Por cada racha de mensajes seguidos del cliente: del primero al siguiente mensaje de un agente.",
      "For every run of consecutive customer messages: from its first message to the next agent message."),
    (agg) => ({
      kind: "scalar",
      sql: () => overCycles(`SELECT ${agg("r.1 / 1000")} AS value FROM cycles ARRAY JOIN responses AS r
        WHERE ${cycleAgentFilter} AND r.3 >= ${fromMs} AND r.3 < ${toMs}`, cycleKeys.overlapping),
    })),
  ...timeVariants("time_to_assign", ["avg", "p90"],
    t("Tiempo hasta asignación", "Time to assign"),
    t("Del inicio del ciclo a su primera asignación a un agente.", "From cycle start to its first assignment to a human agent."),
    (agg) => ({ kind: "scalar", sql: () => overCycles(`SELECT ${agg("assign_s")} AS value FROM cycles WHERE ${inScope} AND first_assign IS NOT NULL`, cycleKeys.started) })),
  implemented({
    id: "sla_first_response_compliance", unit: "share", kind: "scalar",
    name: t("Cumplimiento SLA de primera respuesta", "First-response SLA compliance"),
    description: t("Proporción de primeras respuestas dentro del objetivo (por defecto 5 min).", "Share of first responses within the target (default 5 min)."),
    sql: () => overExactFrt(`SELECT if(count() = 0, NULL, countIf(frt <= ${target}) / count()) AS value FROM frt_cycles WHERE ${inScope} AND frt IS NOT NULL`, cycleKeys.started),
  }),
  implemented({
    id: "sla_breaches", unit: "count", kind: "scalar",
    name: t("Incumplimientos de SLA", "SLA breaches"),
    description: t("Ciclos cuya primera respuesta superó el objetivo, o que esperaron más que él sin respuesta (hasta su cierre o el fin del rango).",
      "Cycles whose first response exceeded the target, or that waited past it with no reply (until resolved or the range end)."),
    sql: () => overExactFrt(`SELECT count() AS value FROM frt_cycles WHERE ${inScope} AND first_customer IS NOT NULL AND (frt > ${target}
      OR (frt IS NULL AND dateDiff('millisecond', first_customer, least(coalesce(resolve_at, {to:DateTime64(3, 'UTC')}), {to:DateTime64(3, 'UTC')})) > ${target} * 1000))`, cycleKeys.started),
  }),
  implemented({
    id: "first_response_time_by_hour_of_day", unit: "seconds", kind: "breakdown",
    name: t("Primera respuesta por hora del día", "First response by hour of day"),
    description: t("Promedio de primera respuesta según la hora (en la zona elegida) en que empezó el ciclo.", "Average FRT by the hour (in the chosen zone) the cycle started."),
    sql: () => overExactFrt(`SELECT toString(toHour(toTimeZone(start_at, {tz:String}))) AS key, avg(frt) AS value FROM frt_cycles
      WHERE ${inScope} AND frt IS NOT NULL GROUP BY toHour(toTimeZone(start_at, {tz:String})) ORDER BY toHour(toTimeZone(start_at, {tz:String}))`, cycleKeys.started),
  }),
  implemented({
    id: "escalations", unit: "count", kind: "scalar",
    name: t("Escalamientos", "Escalations"),
    description: t("Eventos de escalamiento (sin respuesta demasiado tiempo → siguiente agente o supervisor) en ciclos del rango.",
      "Escalation events (unanswered too long → next agent or supervisor) in cycles of the range."),
    sql: () => overCycles(`SELECT sum(escalation_n) AS value FROM cycles WHERE ${inScope}`, cycleKeys.started),
  }),
];
