import { cycleKeys, extractInRange, resolvedInRange, startedInRange, transferCyclesKey } from "../query/cycles.js";
import { NIL } from "../query/cycle-columns.js";
import type { MetricQuery } from "../query/input.js";
import { hourlyCounts } from "../query/hourly.js";
import { implemented, onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { keyedRows, seriesRows, type Pass } from "./pass.js";

/**
 * Dashboard 3: one row per agent (key = agent id). Attribution (spec/metrics.md): a response to who wrote
 * it, a resolution and a conversion to the assignee at resolve time, a transfer out to its source and in to
 * its target. "Handled": assignee at some point of a cycle overlapping the range, and wrote in that cycle.
 */

const agentFilter = (column: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${column} = {f_agent:Nullable(UUID)})`;
const fromMs = `toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')})`;
const toMs = `toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')})`;

/**
 * Every cycle panel of the board but the reopen rate (which reads reopens of any start) from one pass (`pass.ts`)
 * over the cycles started, alive or resolved in the range (eleven panels, a read each before). Each cycle gives
 * (agent, kind, value) items, each under the test its panel had: 0 a handler of a cycle alive in the range, 1 the
 * assignee at a resolve in the range (resolution seconds), 2 who wrote a first response of a cycle started in the
 * range (FRT seconds), 3 who answered a customer run started in the range (seconds), 4 a stint ended in the range
 * (seconds). Two groupings by agent, joined: the per-cycle items (1, 2) with the cycle's CSAT and deal, and the
 * many others (0, 3, 4) with only the conversation; as one grouping every item carried every cycle column through
 * the ARRAY JOIN and every aggregate tested every item (2.1M at bench size). Each panel keeps the agents that have
 * its kind (an agent missing from one grouping has 0 there), sorted by agent as text.
 */
const kinds = ["handled", "resolved", "frt", "response", "stint"] as const;
const perCycleItems = `arrayConcat(
    if(${resolvedInRange}, [(resolve_agent, toUInt8(1), toFloat64(resolution_s))], []),
    if(${startedInRange} AND exact_frt IS NOT NULL, [(exact_frt_agent, toUInt8(2), assumeNotNull(exact_frt))], []))`;
const spreadItems = `arrayConcat(
    arrayMap(a -> (a, toUInt8(0), toFloat64(0)), handlers),
    arrayMap(r -> (r.2, toUInt8(3), r.1 / 1000), arrayFilter(r -> r.3 >= ${fromMs} AND r.3 < ${toMs}, responses)),
    arrayMap(s -> (s.1, toUInt8(4), (s.3 - s.2) / 1000), arrayFilter(s -> s.3 >= ${fromMs} AND s.3 < ${toMs}, stints)))`;
const isKind = (kind: (typeof kinds)[number]) => `it.2 = ${kinds.indexOf(kind)}`;
const won = `${isKind("resolved")} AND result = 'won'`;
const perCycleParts: Array<[name: string, expr: string]> = [
  // The resolver panels leave out resolves with no assignee; CSAT, conversions and revenue keep them (as before).
  ["resolved", `countIf(${isKind("resolved")} AND it.1 != ${NIL})`], ["resolution_avg", `avgIf(it.3, ${isKind("resolved")} AND it.1 != ${NIL})`],
  ["csat_n", `countIf(${isKind("resolved")} AND csat > 0)`], ["csat_avg", `avgIf(csat, ${isKind("resolved")} AND csat > 0)`],
  ["won", `countIf(${won})`], ["revenue", `sumMapIf(map(cur, deal), ${won})`],
  ["frt_n", `countIf(${isKind("frt")})`], ["frt_avg", `avgIf(it.3, ${isKind("frt")})`], ["frt_p90", `quantileExactInclusiveIf(0.9)(it.3, ${isKind("frt")})`],
];
const spreadParts: Array<[name: string, expr: string]> = [
  ["handled", `uniqExactIf(conversation_id, ${isKind("handled")})`],
  ["response_n", `countIf(${isKind("response")})`], ["response_avg", `avgIf(it.3, ${isKind("response")})`],
  ["stint_n", `countIf(${isKind("stint")})`], ["stint_avg", `avgIf(it.3, ${isKind("stint")})`],
];
const perAgentParts = [...spreadParts, ...perCycleParts];
const grouped = (parts: Array<[string, string]>, items: string, where = "1") => `SELECT it.1 AS agent, ${parts.map(([name, expr]) => `${expr} AS ${name}`).join(",\n    ")}
    FROM cycles ARRAY JOIN ${items} AS it WHERE ${where} AND ${agentFilter("it.1")} GROUP BY agent`;
const cyclesPass: Pass = {
  id: "agent cycles",
  sql: () => overCycles(`SELECT arraySort(groupArray(CAST((toString(agent), ${perAgentParts.map(([name]) => name).join(", ")}),
    'Tuple(key String, ${perAgentParts.map(([name]) => `${name} ${name === "revenue" ? "Map(String, Float64)" : "Float64"}`).join(", ")})'))) AS per_agent
  FROM (${grouped(perCycleParts, perCycleItems)}) AS per_cycle
  FULL OUTER JOIN (${grouped(spreadParts, spreadItems, cycleKeys.overlapping.where)}) AS spread USING (agent)`, cycleKeys.aliveOrResolved),
};
/** A panel of the pass: (agent, value) of the agents with `count` > 0. */
const fromCycles = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], count: string, value: string) =>
  onPass({ id, name, description, unit, kind: "breakdown" }, { pass: cyclesPass, rows: keyedRows(`arrayMap(l -> (l.key, ${value}), arrayFilter(l -> ${count} > 0, per_agent))`) });

/** Events per agent from the hourly buckets (ranges count whole hours). */
const hourlyCount = (type: string, detail: string) => `SELECT toString(agent_id) AS key, toFloat64(n) AS value FROM (${hourlyCounts(`tenant_id = {tenant:UUID}
    AND type = '${type}' AND detail = '${detail}' AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND ${agentFilter("agent_id")} AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id))
    AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})`, "agent_id")}) ORDER BY key`;

/**
 * Transfers out and in per agent, of transfers whose cycle passes the filters (channel, team, tag, territory: the
 * `cycles` CTE applies them): one pass (`pass.ts`) for both panels, (agent, n) sorted by agent (was a read each).
 * With none of those filters the test only asks that the cycle exist, and every cycle > 0 of an event is in
 * `cycles` (`cycle_facts_v2` keeps each, the rollup or its hot side reads each): the text then skips the cycles,
 * whose key (the range's transfer cycles) scanned the whole rollup (~100 ms at 9M events).
 */
const cycleFiltered = (q: MetricQuery) => {
  const f = q.filters ?? {};
  return [f.channelId, f.teamId, f.teamIds, f.tag, f.territory].some((v) => v !== undefined && v !== null);
};
const transferCounts = `SELECT ${(["from_agent_id", "to_agent_id"] as const).map((side) => `sumMapIf(map(${side}, toUInt64(1)), ${side} != '' AND ${agentFilter(`toUUIDOrZero(${side})`)}) AS m_${side}`).join(", ")}
  FROM ${extractInRange("transfers")} AS e`;
const transferPass: Pass = {
  id: "agent transfers",
  sql: (q) => cycleFiltered(q)
    ? overCycles(`${transferCounts}\n  WHERE (conversation_id, cycle) IN (SELECT conversation_id, cycle FROM cycles)`, transferCyclesKey)
    : `${transferCounts}\n  WHERE cycle > 0`,
};
const transfersBy = (side: "from_agent_id" | "to_agent_id", id: string, name: Text, description: Text) => onPass({ id, name, description, unit: "count", kind: "breakdown" },
  { pass: transferPass, rows: keyedRows(`arraySort(e -> e.1, arrayZip(mapKeys(m_${side}), mapValues(m_${side})))`) });

const perAgent = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], sql: string) =>
  implemented({ id, name, description, unit, kind: "breakdown", sql: () => sql });
const stat = (name: Text, which: string): Text => ({ es: `${name.es} (${which})`, en: `${name.en} (${which})` });
const frtName = t("Primera respuesta", "First response time");
const frtText = t("Primera respuesta de ciclos iniciados en el rango, atribuida a quien la escribió.", "FRT of cycles started in the range, credited to whoever wrote it.");

export const agentMetrics: MetricDefinition[] = [
  fromCycles("agent_conversations_handled", t("Conversaciones atendidas", "Conversations handled"),
    t("Conversaciones donde el agente fue asignado y escribió, en ciclos que tocan el rango.", "Conversations where the agent was assignee and wrote, in cycles touching the range."),
    "count", "l.handled", "l.handled"),
  fromCycles("agent_conversations_resolved", t("Ciclos resueltos", "Cycles resolved"),
    t("Ciclos resueltos en el rango con el agente como asignado al resolver.", "Cycles resolved in the range with the agent as assignee at resolve."), "count", "l.resolved", "l.resolved"),
  perAgent("agent_messages_sent", t("Mensajes enviados", "Messages sent"), t("Mensajes escritos por el agente.", "Messages written by the agent."),
    "count", hourlyCount("message.sent", "agent")),
  perAgent("agent_notes_written", t("Notas internas", "Internal notes"), t("Notas internas escritas por el agente.", "Internal notes the agent wrote."),
    "count", hourlyCount("note.added", "")),
  fromCycles("agent_first_response_time_avg", stat(frtName, "avg"), frtText, "seconds", "l.frt_n", "l.frt_avg"),
  fromCycles("agent_first_response_time_p90", stat(frtName, "p90"), frtText, "seconds", "l.frt_n", "l.frt_p90"),
  fromCycles("agent_response_time_avg", stat(t("Tiempo de respuesta", "Response time"), "avg"),
    t("Respuestas a rachas del cliente iniciadas en el rango, atribuidas a quien respondió.", "Responses to customer runs started in the range, credited to the responder."),
    "seconds", "l.response_n", "l.response_avg"),
  fromCycles("agent_resolution_time_avg", stat(t("Tiempo de resolución", "Resolution time"), "avg"),
    t("Inicio del ciclo → resolución, ciclos resueltos en el rango, del asignado al resolver.", "Cycle start → resolve, cycles resolved in the range, by assignee at resolve."),
    "seconds", "l.resolved", "l.resolution_avg"),
  fromCycles("agent_handle_time_avg", stat(t("Tiempo de gestión", "Handle time"), "avg"),
    t("De cada asignación al agente hasta que deja de ser el asignado (tramos terminados en el rango).", "From each assignment to the agent until he stops being assignee (stints ended in the range)."),
    "seconds", "l.stint_n", "l.stint_avg"),
  fromCycles("agent_csat_avg", t("CSAT promedio", "Average CSAT"), t("Promedio 1–5 de encuestas de ciclos resueltos en el rango por el agente.", "Mean 1–5 score of surveys on cycles the agent resolved in the range."),
    "score", "l.csat_n", "l.csat_avg"),
  fromCycles("agent_conversions", t("Conversiones", "Conversions"), t("Ciclos ganados (won) resueltos en el rango, del asignado al resolver.", "Cycles won, resolved in the range, by assignee at resolve."),
    "count", "l.won", "l.won"),
  fromCycles("agent_conversion_rate", t("Tasa de conversión", "Conversion rate"), t("Conversiones / conversaciones atendidas.", "Conversions / conversations handled."),
    "share", "l.handled", "l.won / l.handled"),
  onPass({
    id: "agent_revenue", unit: "money", kind: "breakdown",
    name: t("Ingresos", "Revenue"), description: t("Suma de montos ganados por agente y moneda (nunca se suman monedas distintas).", "Won deal values per agent and currency (currencies are never added together)."),
  }, { pass: cyclesPass, rows: seriesRows("arraySort(arrayFlatten(arrayMap(l -> arrayMap((c, v) -> (l.key, c, v), mapKeys(l.revenue), mapValues(l.revenue)), arrayFilter(l -> l.won > 0, per_agent))))") }),
  transfersBy("from_agent_id", "agent_transfers_out", t("Transferencias salientes", "Transfers out"), t("Transferencias desde el agente.", "Transfers from the agent.")),
  transfersBy("to_agent_id", "agent_transfers_in", t("Transferencias entrantes", "Transfers in"), t("Transferencias hacia el agente.", "Transfers to the agent.")),
  perAgent("agent_reopen_rate", t("Tasa de reapertura", "Reopen rate"),
    t("De los ciclos que el agente resolvió en el rango, los reabiertos dentro de la ventana.", "Of the cycles the agent resolved in the range, those reopened within the window."),
    "share", overCycles(`SELECT toString(r.agent) AS key, coalesce(o.reopened, 0) / r.resolved AS value
      FROM (SELECT resolve_agent AS agent, count() AS resolved FROM cycles WHERE ${resolvedInRange} AND resolve_agent != toUUIDOrZero('') AND ${agentFilter("resolve_agent")} GROUP BY resolve_agent) AS r
      LEFT JOIN (SELECT prev_resolver AS agent, count() AS reopened FROM cycles WHERE is_reopen = 1
        AND prev_resolved_at >= {from:DateTime64(3, 'UTC')} AND prev_resolved_at < {to:DateTime64(3, 'UTC')} GROUP BY prev_resolver) AS o ON o.agent = r.agent
      ORDER BY key`, cycleKeys.resolvedOrReopenedSince)),
];
