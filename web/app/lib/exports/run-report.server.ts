import type { ClickHouseClient } from "@clickhouse/client";
import { groupsByAgent, runMetric, runMetricsByAgent, runMetricsFor, type MetricQuery } from "@centralita/analytics";
import { translator, type Locale } from "../i18n";
import { keyQuery, MAX_REPORT_CELLS, ReportTooLarge, staticKeys, type ReportDims, type ReportSpec, type ReportTable } from "./report";

/** Territories with conversations in the range (and the filters): the territory breakdown's keys. */
async function territoryKeys(client: ClickHouseClient, base: MetricQuery) {
  const result = await runMetric(client, "territory_volume", base);
  return result.rows.map((r) => r.key ?? "").filter(Boolean).sort().map((key) => ({ key, label: key }));
}

/**
 * The cells a report computes a row at a time: by agent, those of metrics read once for every agent
 * (`groupsByAgent`) count once, not once per row.
 */
export function cellsPerRow(spec: ReportSpec, rows: number): number {
  const grouped = spec.breakdown === "agent" ? spec.metricIds.filter(groupsByAgent).length : 0;
  return rows * (spec.metricIds.length - grouped) + grouped;
}

/**
 * Runs the builder's table: every metric for every key, then the total. Refuses a table of more than
 * MAX_REPORT_CELLS cells computed a row at a time before running any.
 */
export async function runReport(client: ClickHouseClient, base: MetricQuery, spec: ReportSpec, dims: ReportDims, locale: Locale): Promise<ReportTable> {
  const keys = staticKeys(base, spec.breakdown, dims) ?? await territoryKeys(client, base);
  if (cellsPerRow(spec, keys.length + 1) > MAX_REPORT_CELLS) throw new ReportTooLarge(`${keys.length} keys × ${spec.metricIds.length} metrics`);
  // By agent, the passes that group by agent read once for every row; otherwise every row's metrics in one statement.
  // The rollup state is read once for the whole table either way.
  const results = spec.breakdown === "agent"
    ? await runMetricsByAgent(client, spec.metricIds, base, keys.map((k) => k.key))
    : await runMetricsFor(client, spec.metricIds, [...keys.map((k) => keyQuery(base, spec.breakdown, k.key)), base]);
  const values = (i: number) => results[i]!.map((result) => result.rows[0]?.value ?? null);
  const rows: ReportTable["rows"] = keys.map((k, i) => ({ key: k.key, label: k.label, values: values(i) }));
  rows.push({ key: null, label: translator(locale)("reports.total"), values: values(keys.length) });
  return { spec, rows };
}
