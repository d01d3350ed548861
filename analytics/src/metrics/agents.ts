import { agentFilter, bothKeys, cycleKeys, overCycleReads, type CycleKey } from "../query/cycles.js";
import { HAS_RESOLVE_AGENT as hasAgent, outsideSums, outsideSumsKey, summedBuckets, sumsFilters } from "../query/cycle-columns.js";
import { agentSums, readsCountDays, type MetricQuery } from "../query/input.js";
import { CONTRIBUTION_ENTRY } from "../rollup/agent-time-sums.js";
import { eventFilters, rangeCounts } from "../query/hourly.js";
import { onPass, t, type MetricDefinition, type Text } from "./define.js";
import { byText, keyed, mapColumn, type Pass, type PassRow } from "./pass.js";
import { transferPass } from "./agent-transfers.js";

/**
 * Dashboard 3: one row per agent (key = agent id). Attribution (spec/metrics.md): a response to who wrote
 * it, a resolution and a conversion to the assignee at resolve time, a transfer out to its source and in to
 * its target. "Handled": assignee at some point of a cycle overlapping the range, and wrote in that cycle.
 */

/**
 * Every cycle panel of the board from one pass (`pass.ts`): rows per agent from several reads, added up by agent.
 * - The range's whole UTC days summed by day and its other whole UTC hours by hour (`agent_time_sums`, migration 0018:
 *   ~900 rows a day at bench size, where each cycle was a row): resolves (resolutions, their time, CSAT, conversions, revenue,
 *   by the assignee at resolve), first responses (by who wrote them), reopens within the window (by who resolved what
 *   they reopen), answered runs and ended stints. A supervisor's local midnight is a whole UTC hour in LATAM.
 * - The rest of the range (an end within an hour, the hours from the hot cycles' earliest instant: `agentSumsWindow`)
 *   from the cycles, each kind in a read of its own whose key (`cycleKeys.*OutsideSums`) the rollup prunes on.
 * - Handled (assignee who wrote, in a cycle alive in the range) counts distinct conversations, which sums cannot add
 *   up: from each alive cycle's per-agent flags (`agent_sums`, migration 0017, about one row a cycle).
 * Each panel keeps the agents that have its kind (0 in the others), sorted by agent as text.
 */
const PARTS: Array<[part: string, none: string]> = [
  ["handled", "0"], ["rn", "0"], ["rms", "0"], ["sn", "0"], ["sms", "0"], ["resolved", "0"], ["resolution_s", "0."], ["csat_n", "0"],
  ["csat_sum", "0"], ["won", "0"], ["revenue", "CAST(map(), 'Map(String, Float64)')"], ["frt_n", "0"], ["frt_sum", "0."],
  ["frt_values", "CAST([], 'Array(Float64)')"], ["reopened", "0"],
];
/**
 * A read's rows: (agent, each part it has, the others none), parts named with a trailing `_`, counts and milliseconds
 * as Int64 in every read: the hot cycles' change to the sums (`delta`) is signed, and a UInt64 count and an Int64 have
 * no common type.
 */
const branch = (agent: string, parts: Record<string, string>, from: string) =>
  `SELECT ${agent} AS agent, ${PARTS.map(([part, none]) => `${none === "0" ? `toInt64(${parts[part] ?? none})` : parts[part] ?? none} AS ${part}_`).join(", ")}\n      FROM ${from}`;
/** A cycle's answered runs and ended stints outside the sums, as (agent, runs, their waits, stints, their lengths). */
const itemsOutsideSums = `arrayConcat(
        arrayMap(r -> (r.2, toInt64(1), r.1, toInt64(0), toInt64(0)), arrayFilter(r -> ${outsideSums("r.3")}, responses)),
        arrayMap(s -> (s.1, toInt64(0), toInt64(0), toInt64(1), s.3 - s.2), arrayFilter(s -> s.3 != -1 AND ${outsideSums("s.3")}, stints)))`;
/** The sums of the board's window (`summedBuckets`). */
const summed = branch("agent", {
  rn: "response_n", rms: "response_ms", sn: "stint_n", sms: "stint_ms", ...Object.fromEntries(
    ["resolved", "resolution_s", "csat_n", "csat_sum", "won", "revenue", "frt_n", "frt_sum", "frt_values", "reopened"].map((c) => [c, c])),
}, `agent_time_sums FINAL
      WHERE ${summedBuckets()}`);
/** Outside the range: the items an edge cycle's sums count and the range does not (taken back off, negated). */
const outsideRange = (ms: string) => `NOT (${ms} >= {from_ms:Int64} AND ${ms} < {to_ms:Int64})`;
const edgeItems = `arrayConcat(
        arrayMap(r -> (r.2, toInt64(-1), -r.1, toInt64(0), toInt64(0)), arrayFilter(r -> ${outsideRange("r.3")}, responses)),
        arrayMap(s -> (s.1, toInt64(0), toInt64(0), toInt64(-1), s.2 - s.3), arrayFilter(s -> s.3 != -1 AND ${outsideRange("s.3")}, stints)))`;
/**
 * What the hot cycles change in the sums (`RollupState.agentDelta`: entries of `CONTRIBUTION_ENTRY` and a sign), in the
 * summed window, under the sums' filters, when it adds up there (`agentSums`): the window then ignores the hot
 * floor. Only added first responses reach the p90's values (a window with one taken off is read up to the floor).
 */
const deltaMeasures = ["resolved", "resolution_s", "csat_n", "csat_sum", "won", "frt_n", "frt_sum", "reopened"];
const delta = branch("agent", {
  rn: "sum(sign * response_n)", rms: "sum(sign * response_ms)", sn: "sum(sign * stint_n)", sms: "sum(sign * stint_ms)",
  ...Object.fromEntries(deltaMeasures.map((m) => [m, `sum(sign * ${m})`])),
  revenue: "sumMapIf(map(cur, sign * deal), won > 0)", frt_values: "groupArrayIf(frt_sum, frt_n > 0 AND sign > 0)",
}, `format(JSONEachRow, 'sign Int8, ${CONTRIBUTION_ENTRY}', {agent_delta:String})
      WHERE instant >= {sums_from_ms:Int64} AND instant < {sums_to_ms:Int64} AND ${sumsFilters} GROUP BY agent`);
const alive = `alive ARRAY JOIN agent_sums AS a WHERE ${cycleKeys.overlapping.where} GROUP BY agent`;
const reads = {
  handled: branch("a.1", { handled: "uniqExactIf(conversation_id, a.2 = 1)" }, alive),
  // With no sums to read (before they are built, hot cycles early in the range), runs and stints come from the alive
  // cycles' per-agent sums, less the items of the cycles alive across either end that lie outside the range.
  handledAndSums: branch("a.1", { handled: "uniqExactIf(conversation_id, a.2 = 1)", rn: "toInt64(sum(a.3))", rms: "sum(a.4)", sn: "toInt64(sum(a.5))", sms: "sum(a.6)" }, alive),
  edges: branch("e.1", { rn: "sum(e.2)", rms: "sum(e.3)", sn: "sum(e.4)", sms: "sum(e.5)" }, `edges ARRAY JOIN ${edgeItems} AS e GROUP BY agent`),
  sums: summed,
  delta,
  items: branch("e.1", { rn: "sum(e.2)", rms: "sum(e.3)", sn: "sum(e.4)", sms: "sum(e.5)" }, `items ARRAY JOIN ${itemsOutsideSums} AS e GROUP BY agent`),
  // The resolver panels leave out resolves with no assignee; CSAT, conversions and revenue keep them.
  resolves: branch("resolve_agent", {
    resolved: `countIf(${hasAgent})`, resolution_s: `sumIf(resolution_s, ${hasAgent})`, csat_n: "countIf(csat > 0)", csat_sum: "sum(csat)",
    won: "countIf(result = 'won')", revenue: "sumMapIf(map(cur, deal), result = 'won')",
  }, "resolves GROUP BY agent"),
  frts: branch("exact_frt_agent", { frt_n: "count()", frt_sum: "sum(assumeNotNull(exact_frt))", frt_values: "groupArray(assumeNotNull(exact_frt))" },
    "frts WHERE exact_frt IS NOT NULL GROUP BY agent"),
  reopens: branch("prev_resolver", { reopened: "count()" }, "reopens GROUP BY agent"),
};
const perAgentParts: Array<[name: string, expr: string]> = [
  ["handled", "sum(handled_)"], ["response_n", "sum(rn_)"], ["response_avg", "sum(rms_) / 1000 / response_n"], ["stint_n", "sum(sn_)"],
  ["stint_avg", "sum(sms_) / 1000 / stint_n"], ["resolved", "sum(resolved_)"], ["resolution_avg", "sum(resolution_s_) / resolved"],
  ["csat_n", "sum(csat_n_)"], ["csat_avg", "sum(csat_sum_) / csat_n"], ["won", "sum(won_)"], ["revenue", "sumMap(revenue_)"], ["frt_n", "sum(frt_n_)"],
  ["frt_avg", "sum(frt_sum_) / frt_n"], ["frt_p90", "quantileExactInclusiveArray(0.9)(frt_values_)"], ["reopened", "sum(reopened_)"],
];
/** The cycles with a run or stint in the range outside the sums. */
const itemsKey = outsideSumsKey();
/**
 * The cycles alive in the range with a run or stint outside it. Hot cycles' facts cannot test `item_span` in their
 * HAVING: there every cycle alive in the range passes, and the edge items of one wholly inside it are none.
 */
const edgeKey: CycleKey = {
  having: cycleKeys.overlapping.having,
  where: `${bothKeys(cycleKeys.aliveSince, cycleKeys.overlapping).where} AND (item_span.1 < {from_ms:Int64} OR item_span.2 >= {to_ms:Int64})`,
};
/**
 * The reads the range needs: a part with nothing to read is left out of the text (analysing a read costs 5–10 ms
 * whatever it finds): the cycles' four when the sums answer for the whole range (it starts and ends on whole UTC
 * hours, before any hot cycle's instant). With no sums at all,
 * runs and stints come from the alive cycles' sums and their edges: reading every item of the range one by one cost
 * 25% more (268 vs 215 ms with a tag filter at 9.7M events).
 */
function readsFor(q: MetricQuery): Array<keyof typeof reads> {
  const { window: w, delta } = agentSums(q);
  if (w.sums_to_ms <= w.sums_from_ms) return ["handledAndSums", "edges", "resolves", "frts", "reopens"];
  // A range up to the present may be summed past its end (`toIsNow`): to the end of its hour.
  const cycles = w.sums_from_ms > q.from.getTime() || w.sums_to_ms < q.to.getTime();
  return ["handled", "sums", ...(delta ? ["delta"] as const : []), ...(cycles ? ["items", "resolves", "frts", "reopens"] as const : [])];
}
const cycleReads: Record<string, { keys: CycleKey }> = {
  items: { keys: itemsKey }, edges: { keys: edgeKey }, resolves: { keys: cycleKeys.resolvedOutsideSums },
  frts: { keys: cycleKeys.startedOutsideSums }, reopens: { keys: cycleKeys.reopenedOutsideSums },
};
const cyclesPass: Pass = {
  id: "agent cycles",
  agentSums: true,
  sql: (q) => {
    const needed = readsFor(q);
    const select = `SELECT arraySort(groupArray(CAST((toString(agent), ${perAgentParts.map(([name]) => name).join(", ")}),
    'Tuple(key String, ${perAgentParts.map(([name]) => `${name} ${name === "revenue" ? "Map(String, Float64)" : "Float64"}`).join(", ")})'))) AS per_agent
  FROM (SELECT agent, ${perAgentParts.map(([name, expr]) => `${expr} AS ${name}`).join(", ")}
    FROM (${needed.map((name) => reads[name]).join("\n      UNION ALL\n      ")})
    WHERE ${agentFilter("agent")} GROUP BY agent)`;
    // A read of the cycles per part, each with its own key and only the columns its part names.
    return overCycleReads(select, [
      { name: "alive", keys: bothKeys(cycleKeys.aliveSince, cycleKeys.overlapping), usedBy: reads.handled },
      ...needed.filter((name) => name in cycleReads).map((name) => ({ name, keys: cycleReads[name]!.keys, usedBy: reads[name] })),
    ]);
  },
};
/** One agent's totals in the pass's `per_agent`, by part name. */
type AgentTotals = Record<string, number | null> & { key: string; revenue: Record<string, number> };
const agentsOf = (row: PassRow) => row.per_agent as AgentTotals[];
/** A panel of the pass: (agent, value) of the agents with `count` > 0, in the pass's order (by agent). */
const fromCycles = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], count: string, value: (l: AgentTotals) => number | null) =>
  onPass({ id, name, description, unit, kind: "breakdown" }, { pass: cyclesPass, columns: ["per_agent"],
    unpack: (row) => agentsOf(row).filter((l) => Number(l[count]) > 0).map((l) => keyed(l.key, value(l))) });
const part = (name: string) => (l: AgentTotals) => l[name] ?? null;

/**
 * Messages sent and notes written per agent from the hourly buckets (ranges count whole hours), in one read of them
 * for both panels: a statement each cost 57 ms of the board's branches against 35 for the one (9.7M events). Whole UTC
 * days with no hot hour are read by day (`rangeCounts`, migration 0022): the board 116–133 -> 97–118 ms p50.
 */
const activityPass: Pass = {
  id: "agent activity",
  sql: (q) => `SELECT sumMapIf(map(toString(agent_id), toUInt64(n)), type = 'message.sent') AS m_message_sent,
    sumMapIf(map(toString(agent_id), toUInt64(n)), type = 'note.added') AS m_note_added
  FROM (${rangeCounts(`(tenant_id = {tenant:UUID}
    AND ((type = 'message.sent' AND detail = 'agent') OR (type = 'note.added' AND detail = ''))
    AND ${eventFilters})`, "agent_id, type", readsCountDays(q))})`,
};
/** A count per agent: a map column (agent → n) of one of the board's passes. */
const perAgentCount = (pass: Pass, column: string, id: string, name: Text, description: Text) =>
  onPass({ id, name, description, unit: "count", kind: "breakdown" }, { pass, ...mapColumn(column) });

const stat = (name: Text, which: string): Text => ({ es: `${name.es} (${which})`, en: `${name.en} (${which})` });
const frtName = t("Primera respuesta", "First response time");
const frtText = t("Primera respuesta de ciclos iniciados en el rango, atribuida a quien la escribió.", "FRT of cycles started in the range, credited to whoever wrote it.");

export const agentMetrics: MetricDefinition[] = [
  fromCycles("agent_conversations_handled", t("Conversaciones atendidas", "Conversations handled"),
    t("Conversaciones donde el agente fue asignado y escribió, en ciclos que tocan el rango.", "Conversations where the agent was assignee and wrote, in cycles touching the range."),
    "count", "handled", part("handled")),
  fromCycles("agent_conversations_resolved", t("Ciclos resueltos", "Cycles resolved"),
    t("Ciclos resueltos en el rango con el agente como asignado al resolver.", "Cycles resolved in the range with the agent as assignee at resolve."), "count", "resolved", part("resolved")),
  perAgentCount(activityPass, "m_message_sent", "agent_messages_sent", t("Mensajes enviados", "Messages sent"), t("Mensajes escritos por el agente.", "Messages written by the agent.")),
  perAgentCount(activityPass, "m_note_added", "agent_notes_written", t("Notas internas", "Internal notes"), t("Notas internas escritas por el agente.", "Internal notes the agent wrote.")),
  fromCycles("agent_first_response_time_avg", stat(frtName, "avg"), frtText, "seconds", "frt_n", part("frt_avg")),
  fromCycles("agent_first_response_time_p90", stat(frtName, "p90"), frtText, "seconds", "frt_n", part("frt_p90")),
  fromCycles("agent_response_time_avg", stat(t("Tiempo de respuesta", "Response time"), "avg"),
    t("Respuestas a rachas del cliente iniciadas en el rango, atribuidas a quien respondió.", "Responses to customer runs started in the range, credited to the responder."),
    "seconds", "response_n", part("response_avg")),
  fromCycles("agent_resolution_time_avg", stat(t("Tiempo de resolución", "Resolution time"), "avg"),
    t("Inicio del ciclo → resolución, ciclos resueltos en el rango, del asignado al resolver.", "Cycle start → resolve, cycles resolved in the range, by assignee at resolve."),
    "seconds", "resolved", part("resolution_avg")),
  fromCycles("agent_handle_time_avg", stat(t("Tiempo de gestión", "Handle time"), "avg"),
    t("De cada asignación al agente hasta que deja de ser el asignado (tramos terminados en el rango).", "From each assignment to the agent until he stops being assignee (stints ended in the range)."),
    "seconds", "stint_n", part("stint_avg")),
  fromCycles("agent_csat_avg", t("CSAT promedio", "Average CSAT"), t("Promedio 1–5 de encuestas de ciclos resueltos en el rango por el agente.", "Mean 1–5 score of surveys on cycles the agent resolved in the range."),
    "score", "csat_n", part("csat_avg")),
  fromCycles("agent_conversions", t("Conversiones", "Conversions"), t("Ciclos ganados (won) resueltos en el rango, del asignado al resolver.", "Cycles won, resolved in the range, by assignee at resolve."),
    "count", "won", part("won")),
  fromCycles("agent_conversion_rate", t("Tasa de conversión", "Conversion rate"), t("Conversiones / conversaciones atendidas.", "Conversions / conversations handled."),
    "share", "handled", (l) => Number(l.won) / Number(l.handled)),
  onPass({
    id: "agent_revenue", unit: "money", kind: "breakdown",
    name: t("Ingresos", "Revenue"), description: t("Suma de montos ganados por agente y moneda (nunca se suman monedas distintas).", "Won deal values per agent and currency (currencies are never added together)."),
  }, { pass: cyclesPass, columns: ["per_agent"], unpack: (row) => agentsOf(row).filter((l) => Number(l.won) > 0)
    .flatMap((l) => Object.entries(l.revenue).sort(([a], [b]) => byText(a, b)).map(([currency, value]) => ({ key: l.key, series: currency, value }))) }),
  perAgentCount(transferPass, "m_from_agent_id", "agent_transfers_out", t("Transferencias salientes", "Transfers out"), t("Transferencias desde el agente.", "Transfers from the agent.")),
  perAgentCount(transferPass, "m_to_agent_id", "agent_transfers_in", t("Transferencias entrantes", "Transfers in"), t("Transferencias hacia el agente.", "Transfers to the agent.")),
  onPass({ id: "agent_reopen_rate", unit: "share", kind: "breakdown", name: t("Tasa de reapertura", "Reopen rate"),
    description: t("De los ciclos que el agente resolvió en el rango, los reabiertos dentro de la ventana.", "Of the cycles the agent resolved in the range, those reopened within the window.") },
  { pass: cyclesPass, columns: ["per_agent"], unpack: (row) => agentsOf(row).filter((l) => Number(l.resolved) > 0).map((l) => keyed(l.key, Number(l.reopened) / Number(l.resolved))) }),
];
