import { cycleAgentFilter, cycleKeys, resolvedInRange, startedInRange } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition } from "./define.js";

/**
 * Dashboard 7: sales. Leads and the funnel are the cycles started in the range (a cohort); conversions,
 * losses and revenue are counted when the cycle is resolved. Money is always per currency.
 */

const isLead = `(lead = 1 OR has(tag_set, 'lead'))`;
const leadCohort = `${startedInRange} AND ${cycleAgentFilter} AND ${isLead}`;
const closed = (outcome: string) => `${resolvedInRange} AND ${cycleAgentFilter} AND result = '${outcome}'`;

export const salesMetrics: MetricDefinition[] = [
  implemented({
    id: "leads", unit: "count", kind: "scalar",
    name: t("Prospectos", "Leads"), description: t("Ciclos marcados como prospecto (equipo de ventas o etiqueta lead) iniciados en el rango.", "Cycles marked as sales leads (sales team or `lead` tag) started in the range."),
    sql: () => overCycles(`SELECT count() AS value FROM cycles WHERE ${leadCohort}`, cycleKeys.started),
  }),
  implemented({
    id: "conversions", unit: "count", kind: "scalar",
    name: t("Conversiones", "Conversions"), description: t("Ciclos resueltos con resultado ganado en el rango.", "Cycles resolved with outcome won in the range."),
    sql: () => overCycles(`SELECT count() AS value FROM cycles WHERE ${closed("won")}`, cycleKeys.resolved),
  }),
  implemented({
    id: "lost", unit: "count", kind: "scalar",
    name: t("Perdidas", "Lost"), description: t("Ciclos resueltos con resultado perdido en el rango.", "Cycles resolved with outcome lost in the range."),
    sql: () => overCycles(`SELECT count() AS value FROM cycles WHERE ${closed("lost")}`, cycleKeys.resolved),
  }),
  implemented({
    id: "loss_reasons", unit: "count", kind: "breakdown",
    name: t("Motivos de pérdida", "Loss reasons"), description: t("Ciclos perdidos por motivo.", "Lost cycles by reason."),
    sql: () => overCycles(`SELECT loss AS key, toFloat64(count()) AS value FROM cycles WHERE ${closed("lost")} GROUP BY loss ORDER BY value DESC, key`, cycleKeys.resolved),
  }),
  implemented({
    id: "conversion_rate", unit: "share", kind: "scalar",
    name: t("Tasa de conversión", "Conversion rate"), description: t("De los prospectos iniciados en el rango, los ganados (en cualquier momento).", "Of the leads started in the range, those won (at any time)."),
    sql: () => overCycles(`SELECT if(count() = 0, NULL, countIf(result = 'won') / count()) AS value FROM cycles WHERE ${leadCohort}`, cycleKeys.started),
  }),
  implemented({
    id: "revenue", unit: "money", kind: "breakdown",
    name: t("Ingresos", "Revenue"), description: t("Suma de montos ganados en el rango, por moneda.", "Won deal values in the range, per currency."),
    sql: () => overCycles(`SELECT cur AS key, sum(deal) AS value FROM cycles WHERE ${closed("won")} GROUP BY cur ORDER BY key`, cycleKeys.resolved),
  }),
  implemented({
    id: "avg_deal_value", unit: "money", kind: "breakdown",
    name: t("Ticket promedio", "Average deal value"), description: t("Monto promedio de los ciclos ganados, por moneda.", "Mean won deal value, per currency."),
    sql: () => overCycles(`SELECT cur AS key, avg(deal) AS value FROM cycles WHERE ${closed("won")} GROUP BY cur ORDER BY key`, cycleKeys.resolved),
  }),
  implemented({
    id: "time_to_conversion_avg", unit: "seconds", kind: "scalar",
    name: t("Tiempo hasta la conversión (promedio)", "Time to conversion (average)"), description: t("Inicio del ciclo → ganado.", "Cycle start → won."),
    sql: () => overCycles(`SELECT avgOrNull(resolution_s) AS value FROM cycles WHERE ${closed("won")}`, cycleKeys.resolved),
  }),
  implemented({
    id: "funnel", unit: "count", kind: "breakdown",
    name: t("Embudo", "Funnel"), description: t("Prospectos iniciados en el rango → con etiqueta cotizado → ganados.", "Leads started in the range → tagged quoted → won."),
    sql: () => overCycles(`SELECT stage.1 AS key, stage.2 AS value FROM (SELECT count() AS lead_n,
      countIf(has(tag_set, 'quoted')) AS quoted_n, countIf(result = 'won') AS won_n FROM cycles WHERE ${leadCohort})
      ARRAY JOIN [('lead', toFloat64(lead_n)), ('quoted', toFloat64(quoted_n)), ('won', toFloat64(won_n))] AS stage`, cycleKeys.started),
  }),
];
