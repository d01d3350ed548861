import { cycleAgentFilter, cycleKeys, resolvedInRange, startedInRange } from "../query/cycles.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { AGENT_KEY, AGENT_ROWS, APART, ASSIGNED_AGENTS, byCountThenKey, columnValue, keyed, mapColumn, mapRows, share, type PassPanel, type Pass } from "./pass.js";

/**
 * Dashboard 7: sales. Leads and the funnel are the cycles started in the range (a cohort); conversions,
 * losses and revenue are counted when the cycle is resolved. Money is always per currency.
 */

const isLead = `(lead = 1 OR has(tag_set, 'lead'))`;
const leadCohort = `${startedInRange} AND ${cycleAgentFilter} AND ${isLead}`;
const closed = (outcome: string) => `${resolvedInRange} AND ${cycleAgentFilter} AND result = '${outcome}'`;

/**
 * Every panel of the board from one pass over the cycles started or resolved in the range (was a read each). One
 * read the sort key cannot prune costs less here than two pruned ones would: most cycles are in both sets, and
 * the aggregates, not the read, are the cost.
 */
// Each scope written out once and named: ClickHouse analyses every copy of a condition again.
const parts: Array<[name: string, expr: string]> = [
  ["lead_n", `countIf((${leadCohort}) AS lead_cohort_)`], ["quoted_n", "countIf(lead_cohort_ AND has(tag_set, 'quoted'))"], ["lead_won_n", "countIf(lead_cohort_ AND result = 'won')"],
  ["won_n", `countIf((${closed("won")}) AS won_)`], ["lost_n", `countIf((${closed("lost")}) AS lost_)`],
  ["won_s", "avgOrNullIf(resolution_s, won_)"],
  // currency → sum / mean of won deals; reason → lost cycles.
  ["revenue", "sumMapIf(map(cur, deal), won_)"], ["deal_avg", "avgMapIf(map(cur, deal), won_)"],
  ["reasons", "sumMapIf(map(loss, toUInt64(1)), lost_)"],
];
const pass: Pass = {
  id: "sales",
  sql: () => overCycles(`SELECT ${AGENT_KEY}${parts.map(([name, expr]) => `${expr} AS ${name}`).join(",\n  ")} FROM cycles${AGENT_ROWS}${APART}`, cycleKeys.startedOrResolved),
  byAgent: { candidates: ASSIGNED_AGENTS },
  columns: parts.map(([name]) => name).filter((name) => !name.endsWith("_")),
};
const panel = (id: string, unit: MetricDefinition["unit"], kind: MetricDefinition["kind"], name: Text, description: Text, rows: Pick<PassPanel, "columns" | "unpack">) =>
  onPass({ id, unit, kind, name, description }, { pass, ...rows });

export const salesMetrics: MetricDefinition[] = [
  panel("leads", "count", "scalar", t("Prospectos", "Leads"), t("Ciclos marcados como prospecto (equipo de ventas o etiqueta lead) iniciados en el rango.", "Cycles marked as sales leads (sales team or `lead` tag) started in the range."),
    columnValue("lead_n")),
  panel("conversions", "count", "scalar", t("Conversiones", "Conversions"), t("Ciclos resueltos con resultado ganado en el rango.", "Cycles resolved with outcome won in the range."),
    columnValue("won_n")),
  panel("lost", "count", "scalar", t("Perdidas", "Lost"), t("Ciclos resueltos con resultado perdido en el rango.", "Cycles resolved with outcome lost in the range."),
    columnValue("lost_n")),
  panel("loss_reasons", "count", "breakdown", t("Motivos de pérdida", "Loss reasons"), t("Ciclos perdidos por motivo.", "Lost cycles by reason."),
    { columns: ["reasons"], unpack: (row) => mapRows(row.reasons).sort(byCountThenKey) }),
  panel("conversion_rate", "share", "scalar", t("Tasa de conversión", "Conversion rate"), t("De los prospectos iniciados en el rango, los ganados (en cualquier momento).", "Of the leads started in the range, those won (at any time)."),
    { columns: ["lead_n", "lead_won_n"], unpack: (row) => [{ value: share(row.lead_won_n, row.lead_n) }] }),
  panel("revenue", "money", "breakdown", t("Ingresos", "Revenue"), t("Suma de montos ganados en el rango, por moneda.", "Won deal values in the range, per currency."),
    mapColumn("revenue")),
  panel("avg_deal_value", "money", "breakdown", t("Ticket promedio", "Average deal value"), t("Monto promedio de los ciclos ganados, por moneda.", "Mean won deal value, per currency."),
    mapColumn("deal_avg")),
  panel("time_to_conversion_avg", "seconds", "scalar", t("Tiempo hasta la conversión (promedio)", "Time to conversion (average)"), t("Inicio del ciclo → ganado.", "Cycle start → won."),
    columnValue("won_s")),
  panel("funnel", "count", "breakdown", t("Embudo", "Funnel"), t("Prospectos iniciados en el rango → con etiqueta cotizado → ganados.", "Leads started in the range → tagged quoted → won."),
    { columns: ["lead_n", "quoted_n", "lead_won_n"], unpack: (row) => [keyed("lead", Number(row.lead_n ?? 0)), keyed("quoted", Number(row.quoted_n ?? 0)), keyed("won", Number(row.lead_won_n ?? 0))] }),
];
