import type { ClickHouseClient } from "@clickhouse/client";
import type { MetricQuery, QueryParams } from "../query/input.js";
import { metricStatement, toMetricResult, type MetricResult, type RawRow } from "../metrics/run.js";
import type { MetricDefinition } from "../metrics/define.js";

/** The metrics' parameters as one set; null when two metrics give the same name different values. */
function mergedParams(all: QueryParams[]): QueryParams | null {
  const merged: QueryParams = {};
  for (const params of all) {
    for (const [name, value] of Object.entries(params)) {
      if (name in merged && JSON.stringify(merged[name]) !== JSON.stringify(value)) return null;
      merged[name] = value;
    }
  }
  return merged;
}

/**
 * Several metrics as one statement: each metric's own statement becomes a branch of a UNION ALL returning its
 * rows, in their order, as JSON text under the panel's index. ClickHouse runs the branches side by side and
 * plans them once; the per-statement cost (parse, plan, a round trip through the client) is paid once.
 * Null when the metrics' parameters clash: the caller runs them one by one.
 */
export async function runMetricsAsOneStatement(client: ClickHouseClient, metrics: MetricDefinition[], query: MetricQuery): Promise<MetricResult[] | null> {
  const statements = metrics.map((m) => metricStatement(m, query));
  const params = mergedParams(statements.map((s) => s.params));
  if (!params) return null;
  const sql = statements
    .map((s, i) => `SELECT ${i} AS panel, groupArray(formatRowNoNewline('JSONEachRow', *)) AS rows FROM (\n${s.sql}\n)`)
    .join("\nUNION ALL\n");
  const result = await client.query({ query: sql, query_params: params, format: "JSONEachRow", clickhouse_settings: { join_use_nulls: 0 } });
  const rowsByPanel = new Map<number, RawRow[]>();
  for (const row of await result.json<{ panel: number; rows: string[] }>()) {
    rowsByPanel.set(Number(row.panel), row.rows.map((text) => JSON.parse(text) as RawRow));
  }
  return metrics.map((m, i) => toMetricResult(m, rowsByPanel.get(i) ?? []));
}
