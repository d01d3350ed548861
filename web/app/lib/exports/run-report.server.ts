import type { ClickHouseClient } from "@clickhouse/client";
import { runMetric, runMetricsFor, type MetricQuery } from "@centralita/analytics";
import { translator, type Locale } from "../i18n";
import { keyQuery, MAX_REPORT_CELLS, ReportTooLarge, staticKeys, type ReportDims, type ReportSpec, type ReportTable } from "./report";

/** Territories with conversations in the range (and the filters): the territory breakdown's keys. */
async function territoryKeys(client: ClickHouseClient, base: MetricQuery) {
  const result = await runMetric(client, "territory_volume", base);
  return result.rows.map((r) => r.key ?? "").filter(Boolean).sort().map((key) => ({ key, label: key }));
}

/**
 * Runs the builder's table: every metric for every key, then the total. Refuses a table bigger than
 * MAX_REPORT_CELLS cells before running any.
 */
export async function runReport(client: ClickHouseClient, base: MetricQuery, spec: ReportSpec, dims: ReportDims, locale: Locale): Promise<ReportTable> {
  const keys = staticKeys(base, spec.breakdown, dims) ?? await territoryKeys(client, base);
  if ((keys.length + 1) * spec.metricIds.length > MAX_REPORT_CELLS) throw new ReportTooLarge(`${keys.length} keys × ${spec.metricIds.length} metrics`);
  // Every row's metrics in one statement, the rollup state read once for the whole table.
  const results = await runMetricsFor(client, spec.metricIds, [...keys.map((k) => keyQuery(base, spec.breakdown, k.key)), base]);
  const values = (i: number) => results[i]!.map((result) => result.rows[0]?.value ?? null);
  const rows: ReportTable["rows"] = keys.map((k, i) => ({ key: k.key, label: k.label, values: values(i) }));
  rows.push({ key: null, label: translator(locale)("reports.total"), values: values(keys.length) });
  return { spec, rows };
}
