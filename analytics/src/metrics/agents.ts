import { bothKeys, cycleKeys, extractInRange, overCycleReads, overCycles, transferCyclesKey, type CycleKey } from "../query/cycles.js";
import { NIL } from "../query/cycle-columns.js";
import type { MetricQuery } from "../query/input.js";
import { eventFilters, hourlyCounts } from "../query/hourly.js";
import { utcDay } from "../rollup/agent-days.js";
import { implemented, onPass, t, type MetricDefinition, type Text } from "./define.js";
import { byText, keyed, mapRows, type Pass, type PassRow } from "./pass.js";

/**
 * Dashboard 3: one row per agent (key = agent id). Attribution (spec/metrics.md): a response to who wrote
 * it, a resolution and a conversion to the assignee at resolve time, a transfer out to its source and in to
 * its target. "Handled": assignee at some point of a cycle overlapping the range, and wrote in that cycle.
 */

const agentFilter = (column: string) => `({f_agent:Nullable(UUID)} IS NULL OR ${column} = {f_agent:Nullable(UUID)})`;

/**
 * Every cycle panel of the board from one pass (`pass.ts`), two groupings by agent joined:
 * - per cycle: resolves in the range by the assignee at resolve (resolutions, their time, CSAT, conversions,
 *   revenue), first responses of cycles started in it by who wrote them, and reopens (within the window) of cycles
 *   resolved in it by who resolved them (the reopen rate's numerator). Those on the range's whole UTC days come summed
 *   per day from `agent_days` (migration 0018: ~900 rows a day at bench size, where each cycle was a row); the rest of
 *   the range (its partial days, the days of hot cycles: `agentDaysWindow`) from the cycles, each kind in a read of its
 *   own whose key (`cycleKeys.*OutsideDays`) the rollup prunes on;
 * - spread over a cycle's agents: handled (assignee who wrote, cycles alive in the range), answered customer runs
 *   started in the range and stints ended in it, from each cycle's per-agent sums (`agent_sums`, migration 0017: about
 *   one row a cycle, where every run and stint was a row of its own, 1.4M at bench size). The sums count every item
 *   of the cycle; the items of the few cycles with some outside the range (`edges`: alive across either end, found by
 *   `item_span`'s indexes) are taken back off.
 * Each panel keeps the agents that have its kind (an agent missing from one grouping has 0 there), sorted by agent as text.
 */
const EMPTY_MAP = "CAST(map(), 'Map(String, Float64)')";
const NO_VALUES = "CAST([], 'Array(Float64)')";
/** Each branch's columns, in this order: resolver measures, first-response ones, reopens (`agent_days`' too, `_` added). */
const perCycleColumns = ["resolved_", "resolution_s_", "csat_n_", "csat_sum_", "won_", "revenue_", "frt_n_", "frt_sum_", "frt_values_", "reopened_"];
const branch = (agent: string, values: string[], from: string) =>
  `SELECT ${agent} AS agent, ${values.map((v, i) => `${v} AS ${perCycleColumns[i]}`).join(", ")}
      FROM ${from}`;
const noResolves = ["0", "0", "0", "0", "0", EMPTY_MAP];
const noFrt = ["0", "0", NO_VALUES];
const hasAgent = `resolve_agent != ${NIL}`;
const perCycleBranches = [
  // The resolver panels leave out resolves with no assignee; CSAT, conversions and revenue keep them.
  branch("resolve_agent", [`countIf(${hasAgent})`, `sumIf(resolution_s, ${hasAgent})`, "countIf(csat > 0)", "sum(csat)", "countIf(result = 'won')",
    `sumMapIf(map(cur, deal), result = 'won')`, ...noFrt, "0"], "resolves GROUP BY agent"),
  branch("exact_frt_agent", [...noResolves, "count()", "sum(assumeNotNull(exact_frt))", "groupArray(assumeNotNull(exact_frt))", "0"], "frts WHERE exact_frt IS NOT NULL GROUP BY agent"),
  branch("prev_resolver", [...noResolves, ...noFrt, "count()"], "reopens GROUP BY agent"),
  branch("agent", ["resolved", "resolution_s", "csat_n", "csat_sum", "won", "revenue", "frt_n", "frt_sum", "frt_values", "reopened"], `agent_days FINAL
      WHERE tenant_id = {tenant:UUID} AND day >= ${utcDay("{days_from_ms:Int64}")} AND day < ${utcDay("{days_to_ms:Int64}")}
        AND ({f_channel:Nullable(UUID)} IS NULL OR channel = {f_channel:Nullable(UUID)}) AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team))`),
];
const perCycle = `SELECT agent, sum(resolved_) AS resolved, sum(resolution_s_) / resolved AS resolution_avg, sum(csat_n_) AS csat_n,
      sum(csat_sum_) / csat_n AS csat_avg, sum(won_) AS won, sumMap(revenue_) AS revenue, sum(frt_n_) AS frt_n, sum(frt_sum_) / frt_n AS frt_avg,
      quantileExactInclusiveArray(0.9)(frt_values_) AS frt_p90, sum(reopened_) AS reopened
    FROM (${perCycleBranches.join("\n      UNION ALL\n      ")})
    WHERE ${agentFilter("agent")} GROUP BY agent`;
/** An item outside the range: what the sums of an edge cycle count and the range does not. */
const outside = (ms: string) => `NOT (${ms} >= {from_ms:Int64} AND ${ms} < {to_ms:Int64})`;
const edgeItems = `arrayConcat(
      arrayMap(r -> (r.2, toInt64(-1), -r.1, toInt64(0), toInt64(0)), arrayFilter(r -> ${outside("r.3")}, responses)),
      arrayMap(s -> (s.1, toInt64(0), toInt64(0), toInt64(-1), s.2 - s.3), arrayFilter(s -> s.3 != -1 AND ${outside("s.3")}, stints)))`;
const edgesSelect = `SELECT conversation_id, e.1, toUInt8(0), e.2, e.3, e.4, e.5 FROM edges ARRAY JOIN ${edgeItems} AS e`;
const spreadSums = `SELECT conversation_id, a.1 AS agent, a.2 AS handled_, toInt64(a.3) AS rn, a.4 AS rms, toInt64(a.5) AS sn, a.6 AS sms
        FROM spread_cycles ARRAY JOIN agent_sums AS a WHERE ${cycleKeys.overlapping.where}`;
const spread = `SELECT agent, uniqExactIf(conversation_id, handled_ = 1) AS handled, sum(rn) AS response_n, sum(rms) / 1000 / response_n AS response_avg,
      sum(sn) AS stint_n, sum(sms) / 1000 / stint_n AS stint_avg
    FROM (${spreadSums}
      UNION ALL
      ${edgesSelect})
    WHERE ${agentFilter("agent")} GROUP BY agent`;
/**
 * The cycles alive in the range with a run or stint outside it. Hot cycles' facts cannot test `item_span` in their
 * HAVING: there every cycle alive in the range passes, and the edge items of one wholly inside it are none.
 */
const edgeKey: CycleKey = {
  having: cycleKeys.overlapping.having,
  where: `${bothKeys(cycleKeys.aliveSince, cycleKeys.overlapping).where} AND (item_span.1 < {from_ms:Int64} OR item_span.2 >= {to_ms:Int64})`,
};
const spreadKey = bothKeys(cycleKeys.aliveSince, cycleKeys.overlapping);
const perAgentParts = ["handled", "response_n", "response_avg", "stint_n", "stint_avg", "resolved", "resolution_avg", "csat_n", "csat_avg", "won", "revenue",
  "frt_n", "frt_avg", "frt_p90", "reopened"];
const cyclesPass: Pass = {
  id: "agent cycles",
  sql: () => {
    const select = `SELECT arraySort(groupArray(CAST((toString(agent), ${perAgentParts.join(", ")}),
    'Tuple(key String, ${perAgentParts.map((name) => `${name} ${name === "revenue" ? "Map(String, Float64)" : "Float64"}`).join(", ")})'))) AS per_agent
  FROM (${perCycle}) AS per_cycle
  FULL OUTER JOIN (${spread}) AS spread USING (agent)`;
    // Five reads of the cycles, each with its own key and only the columns its part names.
    return overCycleReads(select, [
      { name: "resolves", keys: cycleKeys.resolvedOutsideDays, usedBy: perCycleBranches[0]! },
      { name: "frts", keys: cycleKeys.startedOutsideDays, usedBy: perCycleBranches[1]! },
      { name: "reopens", keys: cycleKeys.reopenedOutsideDays, usedBy: perCycleBranches[2]! },
      { name: "spread_cycles", keys: spreadKey, usedBy: spreadSums },
      { name: "edges", keys: edgeKey, usedBy: edgesSelect },
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

/** Events per agent from the hourly buckets (ranges count whole hours). */
const hourlyCount = (type: string, detail: string) => `SELECT toString(agent_id) AS key, toFloat64(n) AS value FROM (${hourlyCounts(`tenant_id = {tenant:UUID}
    AND type = '${type}' AND detail = '${detail}' AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND ${eventFilters}`, "agent_id")}) ORDER BY key`;

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
  { pass: transferPass, columns: [`m_${side}`], unpack: (row) => mapRows(row[`m_${side}`]) });

const perAgent = (id: string, name: Text, description: Text, unit: MetricDefinition["unit"], sql: string) =>
  implemented({ id, name, description, unit, kind: "breakdown", sql: () => sql });
const stat = (name: Text, which: string): Text => ({ es: `${name.es} (${which})`, en: `${name.en} (${which})` });
const frtName = t("Primera respuesta", "First response time");
const frtText = t("Primera respuesta de ciclos iniciados en el rango, atribuida a quien la escribió.", "FRT of cycles started in the range, credited to whoever wrote it.");

export const agentMetrics: MetricDefinition[] = [
  fromCycles("agent_conversations_handled", t("Conversaciones atendidas", "Conversations handled"),
    t("Conversaciones donde el agente fue asignado y escribió, en ciclos que tocan el rango.", "Conversations where the agent was assignee and wrote, in cycles touching the range."),
    "count", "handled", part("handled")),
  fromCycles("agent_conversations_resolved", t("Ciclos resueltos", "Cycles resolved"),
    t("Ciclos resueltos en el rango con el agente como asignado al resolver.", "Cycles resolved in the range with the agent as assignee at resolve."), "count", "resolved", part("resolved")),
  perAgent("agent_messages_sent", t("Mensajes enviados", "Messages sent"), t("Mensajes escritos por el agente.", "Messages written by the agent."),
    "count", hourlyCount("message.sent", "agent")),
  perAgent("agent_notes_written", t("Notas internas", "Internal notes"), t("Notas internas escritas por el agente.", "Internal notes the agent wrote."),
    "count", hourlyCount("note.added", "")),
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
  transfersBy("from_agent_id", "agent_transfers_out", t("Transferencias salientes", "Transfers out"), t("Transferencias desde el agente.", "Transfers from the agent.")),
  transfersBy("to_agent_id", "agent_transfers_in", t("Transferencias entrantes", "Transfers in"), t("Transferencias hacia el agente.", "Transfers to the agent.")),
  onPass({ id: "agent_reopen_rate", unit: "share", kind: "breakdown", name: t("Tasa de reapertura", "Reopen rate"),
    description: t("De los ciclos que el agente resolvió en el rango, los reabiertos dentro de la ventana.", "Of the cycles the agent resolved in the range, those reopened within the window.") },
  { pass: cyclesPass, columns: ["per_agent"], unpack: (row) => agentsOf(row).filter((l) => Number(l.resolved) > 0).map((l) => keyed(l.key, Number(l.reopened) / Number(l.resolved))) }),
];
