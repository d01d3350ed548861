import type { ClickHouseClient } from "@clickhouse/client";
import { metricValue, runMetric, type MetricQuery } from "@centralita/analytics";
import { translator, type Locale } from "../i18n";
import { keyQuery, MAX_REPORT_CELLS, ReportTooLarge, staticKeys, type ReportDims, type ReportSpec, type ReportTable } from "./report";

/** Territories with conversations in the range (and the filters): the territory breakdown's keys. */
async function territoryKeys(client: ClickHouseClient, base: MetricQuery) {
  const result = await runMetric(client, "territory_volume", base);
  return result.rows.map((r) => r.key ?? "").filter(Boolean).sort().map((key) => ({ key, label: key }));
}

async function values(client: ClickHouseClient, metricIds: string[], query: MetricQuery): Promise<Array<number | null>> {
  const out: Array<number | null> = [];
  // One at a time: embedded chdb runs one statement at a time anyway.
  for (const id of metricIds) out.push(await metricValue(client, id, query));
  return out;
}

/**
 * Runs the builder's table: every metric for every key, then the total. Refuses a table bigger than
 * MAX_REPORT_CELLS queries before running any.
 */
export async function runReport(client: ClickHouseClient, base: MetricQuery, spec: ReportSpec, dims: ReportDims, locale: Locale): Promise<ReportTable> {
  const keys = staticKeys(base, spec.breakdown, dims) ?? await territoryKeys(client, base);
  if ((keys.length + 1) * spec.metricIds.length > MAX_REPORT_CELLS) throw new ReportTooLarge(`${keys.length} keys × ${spec.metricIds.length} metrics`);
  const rows: ReportTable["rows"] = [];
  for (const k of keys) rows.push({ key: k.key, label: k.label, values: await values(client, spec.metricIds, keyQuery(base, spec.breakdown, k.key)) });
  rows.push({ key: null, label: translator(locale)("reports.total"), values: await values(client, spec.metricIds, base) });
  return { spec, rows };
}
