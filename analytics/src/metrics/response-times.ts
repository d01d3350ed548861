import { businessHoursLookup } from "../query/business-hours.js";
import { cycleAgentFilter, cycleKeys, startedInRange } from "../query/cycles.js";
import { onPass, overCycles, statText, t, type MetricDefinition, type Stat, type Text } from "./define.js";
import { NONE } from "../query/cycle-columns.js";
import type { MetricQuery } from "../query/input.js";
import { AGENT_KEY, AGENT_ROWS, APART, ASSIGNED_AGENTS, columnValue, keyed, type Pass } from "./pass.js";

/**
 * Dashboard 2: response times and SLA. A cycle belongs to the range it started in; a response run to the range
 * it started in. FRT is the exact one the rollup stores (`exact_frt*`, migration 0008).
 */

const inScope = `${startedInRange} AND ${cycleAgentFilter}`;
const target = `{frt_target:UInt32}`;

/** Open ms before instant `x` for the row's team at place `t` (`BusinessHoursLookup`), its names prefixed `p`. */
function cumulativeOpenMs(x: string, t: string, p: string, perDay: number): string {
  const day = `least(greatest(intDiv(${x} - {bh_day0:Int64}, 86400000), 0), {bh_days:UInt32} - 1)`;
  const base = `({bh_base:Array(UInt32)}[${t} * {bh_days:UInt32} + ${day} + 1] AS ${p}base_)`;
  const steps = Array.from({ length: perDay }, (_, k) => ` + ({bh_s:Array(Int64)}[${p}base_ + ${k + 1}] <= ${x})`);
  return `({bh_c:Array(Int64)}[(${base}${steps.join("")}) AS ${p}i_] + least(${x}, {bh_e:Array(Int64)}[${p}i_]))`;
}

/**
 * Business seconds of the first response: cum(reply) − cum(run start), which for a team with no schedule (always open)
 * is the plain difference; that alone when no team has one.
 */
function frtBusinessSeconds(q: MetricQuery): string {
  const { params, perDay } = bhLookup(q);
  if (params.bh_teams.length === 0) return `((exact_frt_to_ms - exact_frt_from_ms) / 1000)`;
  const to = cumulativeOpenMs("exact_frt_to_ms", "(indexOf({bh_teams:Array(UUID)}, team) AS bh_t_)", "to_", perDay);
  return `((${to} - ${cumulativeOpenMs("exact_frt_from_ms", "bh_t_", "from_", perDay)}) / 1000)`;
}

// Each condition is written out once and named (`in_scope_`, `answered_`, `waits_`): ClickHouse analysed every copy of
// it again (6 ms of the board's 30 ms plan). Instants are compared as the stored ms, not as DateTime64 values built per
// row (the breaches' test 19 -> 11 ms over 360k cycles).
const answered = `((${inScope}) AS in_scope_ AND exact_frt IS NOT NULL) AS answered_`;
const waitedUntilMs = `least(if(resolved_ms_ = 0, {to_ms:Int64}, resolved_ms_), {to_ms:Int64})`;
const breached = `in_scope_ AND first_customer_ms != ${NONE} AND (exact_frt > ${target}
  OR (exact_frt IS NULL AND ${waitedUntilMs} - first_customer_ms > ${target} * 1000))`;
/**
 * Waits (s) of the runs started in the range, of the cycles passing the agent filter: the lambda over the two arrays it
 * needs (`responses.1`, `.3`), not over the runs' tuples (~10 ms less over 684k runs). The rollup still reads the whole
 * column: under FINAL a subcolumn of a CTE's column is not read alone (an ALIAS of it in the table gained nothing).
 */
const runWaits = `arrayMap(w -> w / 1000, arrayFilter((w, s) -> ${cycleAgentFilter} AND s >= {from_ms:Int64} AND s < {to_ms:Int64},
  responses.1, responses.3)) AS waits_`;
/**
 * The median and p90 of one set from one state (`quantilesExactInclusive`): two `quantileExactInclusive` keep a copy of
 * the values each and sort both. NULL, as `…OrNull`, when the set is empty, which its average (`avgOrNull`) tells.
 */
const sharedQuantiles = (prefix: string, aggregate: string): Array<[name: string, expr: string]> => [
  [`${prefix}_q_`, aggregate],
  [`${prefix}_p50`, `if(${prefix}_avg IS NULL, NULL, ${prefix}_q_[1])`],
  [`${prefix}_p90`, `if(${prefix}_avg IS NULL, NULL, ${prefix}_q_[2])`],
];
const ifAgg = {
  avg: (e: string, c: string) => `avgOrNullIf(${e}, ${c})`,
  p90: (e: string, c: string) => `quantileExactInclusiveOrNullIf(0.9)(${e}, ${c})`,
};
// The hour (in the query's zone) a cycle started, for the FRT by hour of day: 24 slots by `Resample`, where a map per
// row merged by `avgMap` cost 5 ms more over 360k cycles.
const startHour = `toHour(fromUnixTimestamp64Milli(started_ms_, {tz:String}))`;

/**
 * Every panel of the board from one pass over the cycles started in the range and those alive in it (the response
 * runs'): each panel was a read of its own (240 ms at 9M events for the board).
 */
const parts = (q: MetricQuery): Array<[name: string, expr: string]> => [
  ["frt_avg", ifAgg.avg("exact_frt", answered)],
  ...sharedQuantiles("frt", "quantilesExactInclusiveIf(0.5, 0.9)(exact_frt, answered_)"),
  ["bh_avg", ifAgg.avg(`${frtBusinessSeconds(q)} AS bh_frt_`, "answered_")], ["bh_p90", ifAgg.p90("bh_frt_", "answered_")],
  ["rt_avg", `avgOrNullArray(${runWaits})`],
  ...sharedQuantiles("rt", "quantilesExactInclusiveArray(0.5, 0.9)(waits_)"),
  ["ta_avg", ifAgg.avg("assign_s", `in_scope_ AND first_assigned_ms_ != ${NONE}`)],
  ["ta_p90", ifAgg.p90("assign_s", `in_scope_ AND first_assigned_ms_ != ${NONE}`)],
  ["compliance", `if(countIf(answered_) = 0, NULL, countIf(answered_ AND exact_frt <= ${target}) / countIf(answered_))`],
  ["breaches", `countIf(${breached})`],
  ["escalations", "sumIf(escalation_n, in_scope_)"],
  // Mean FRT and count of the cycles answered, by the hour they started (0–23).
  ["hour_frt", `avgResampleIf(0, 24, 1)(exact_frt, ${startHour}, answered_)`],
  ["hour_n", `countResampleIf(0, 24, 1)(${startHour}, answered_)`],
];
const pass: Pass = {
  id: "response_times",
  sql: (q) => overCycles(`SELECT ${AGENT_KEY}${parts(q).map(([name, expr]) => `${expr} AS ${name}`).join(",\n  ")} FROM cycles${AGENT_ROWS}${APART}`,
    cycleKeys.startedOrOverlapping),
  // Every column is under the agent filter (`in_scope_`, the runs' own).
  byAgent: { candidates: ASSIGNED_AGENTS },
  columns: ["frt_avg", "frt_p50", "frt_p90", "bh_avg", "bh_p90", "rt_avg", "rt_p50", "rt_p90", "ta_avg", "ta_p90", "compliance", "breaches", "escalations", "hour_frt", "hour_n"],
};
/** The schedules' lookup for the query's range (built once for all the board's panels). */
const bhLookup = (q: MetricQuery) => businessHoursLookup(q.teamSchedules, q.from, q.to);
// Every panel of the pass takes the business-hour parameters, so the board's panels never clash on them.
const bhParams = (q: MetricQuery) => bhLookup(q).params;
const stat = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, column: string) =>
  onPass({ id, unit, kind: "scalar", name, description, params: bhParams }, { pass, ...columnValue(column) });
const variants = (base: string, prefix: string, stats: Stat[], name: Text, description: Text) => stats.map((s) =>
  stat(`${base}_${s}`, "seconds", t(`${name.es} (${statText[s].es})`, `${name.en} (${statText[s].en})`), description, `${prefix}_${s}`));

export const responseTimeMetrics: MetricDefinition[] = [
  ...variants("first_response_time", "frt", ["avg", "p50", "p90"], t("Tiempo de primera respuesta", "First response time"),
    t("Por ciclo: del primer mensaje del cliente al primer mensaje de un agente después de él.",
      "Per cycle: from the customer's first message to the first agent message after it.")),
  ...variants("first_response_time_bh", "bh", ["avg", "p90"], t("Tiempo de primera respuesta (horario laboral)", "First response time (business hours)"),
    t("Como el tiempo de primera respuesta, contando solo los segundos dentro del horario del equipo (zona, feriados).",
      "As first response time, counting only seconds inside the team's schedule (its zone, its holidays).")),
  ...variants("response_time", "rt", ["avg", "p50", "p90"], t("Tiempo de respuesta", "Response time"),
    t("Por cada racha de mensajes seguidos del cliente: del primero al siguiente mensaje de un agente.",
      "For every run of consecutive customer messages: from its first message to the next agent message.")),
  ...variants("time_to_assign", "ta", ["avg", "p90"], t("Tiempo hasta asignación", "Time to assign"),
    t("Del inicio del ciclo a su primera asignación a un agente.", "From cycle start to its first assignment to a human agent.")),
  stat("sla_first_response_compliance", "share", t("Cumplimiento SLA de primera respuesta", "First-response SLA compliance"),
    t("Proporción de primeras respuestas dentro del objetivo (por defecto 5 min).", "Share of first responses within the target (default 5 min)."), "compliance"),
  stat("sla_breaches", "count", t("Incumplimientos de SLA", "SLA breaches"),
    t("Ciclos cuya primera respuesta superó el objetivo, o que esperaron más que él sin respuesta (hasta su cierre o el fin del rango).",
      "Cycles whose first response exceeded the target, or that waited past it with no reply (until resolved or the range end)."), "breaches"),
  onPass({
    id: "first_response_time_by_hour_of_day", unit: "seconds", kind: "breakdown", params: bhParams,
    name: t("Primera respuesta por hora del día", "First response by hour of day"),
    description: t("Promedio de primera respuesta según la hora (en la zona elegida) en que empezó el ciclo.", "Average FRT by the hour (in the chosen zone) the cycle started."),
  }, { pass, columns: ["hour_frt", "hour_n"], unpack: (row) => (row.hour_frt as number[])
    .flatMap((seconds, hour) => (Number((row.hour_n as unknown[])[hour]) > 0 ? [keyed(String(hour), seconds)] : [])) }),
  stat("escalations", "count", t("Escalamientos", "Escalations"),
    t("Eventos de escalamiento (sin respuesta demasiado tiempo → siguiente agente o supervisor) en ciclos del rango.",
      "Escalation events (unanswered too long → next agent or supervisor) in cycles of the range."), "escalations"),
];
