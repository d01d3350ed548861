import type { ClickHouseClient } from "@clickhouse/client";
import { STATEMENT_SETTINGS, type MetricQuery, type QueryParams } from "../query/input.js";
import { metricStatement, toMetricResult, type MetricResult, type RawRow } from "../metrics/run.js";
import type { MetricDefinition } from "../metrics/define.js";
import { hasTerritoryFilter, shapeForRollup } from "../query/cycles.js";
import { rowsOf, SERIES_TUPLES } from "../metrics/pass.js";
import { NO_ROLLUP } from "../rollup/state.js";

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

// Every branch returns both columns: JSON texts (most panels) and (key, series, value) tuples (`tuples` panels).
const NO_ROWS = "CAST([], 'Array(String)')";
const NO_TUPLES = `CAST([], '${SERIES_TUPLES}')`;

/**
 * One branch per metric (its rows as JSON text under the panel's index), except panels of a shared pass
 * (`metrics/pass.ts`): one branch per pass, reading it once and unpacking each of its panels from its one row.
 */
function branches(metrics: MetricDefinition[], sqls: string[], query: MetricQuery): string[] {
  const out: string[] = [];
  const passes = new Map<string, number[]>();
  metrics.forEach((m, i) => {
    if (!m.fromPass) out.push(`SELECT toUInt32(${i}) AS panel, groupArray(formatRowNoNewline('JSONEachRow', *)) AS rows, ${NO_TUPLES} AS tuples FROM (\n${sqls[i]}\n)`);
    else passes.set(m.fromPass.pass.id, [...(passes.get(m.fromPass.pass.id) ?? []), i]);
  });
  for (const panels of passes.values()) {
    const pass = metrics[panels[0]!]!.fromPass!.pass;
    const each = panels.map((i) => {
      const panel = metrics[i]!.fromPass!;
      return `(toUInt32(${i}), ${panel.tuples ? NO_ROWS : rowsOf(panel, query)}, ${panel.tuples ? rowsOf(panel, query) : NO_TUPLES})`;
    }).join(",\n  ");
    out.push(`SELECT p.1 AS panel, p.2 AS rows, p.3 AS tuples FROM (SELECT arrayJoin([\n  ${each}]) AS p FROM (\n${shapeForRollup(pass.sql(query), query.rollup ?? NO_ROLLUP, hasTerritoryFilter(query))}\n))`);
  }
  return out;
}

/**
 * Several metrics as one statement: each metric's own statement becomes a branch of a UNION ALL returning its
 * rows, in their order, as JSON text (or tuples, `pass.ts`) under the panel's index. ClickHouse runs the branches side by side and
 * plans them once; the per-statement cost (parse, plan, a round trip through the client) is paid once.
 * Null when the metrics' parameters clash: the caller runs them one by one.
 */
export async function runMetricsAsOneStatement(client: ClickHouseClient, metrics: MetricDefinition[], query: MetricQuery): Promise<MetricResult[] | null> {
  const statements = metrics.map((m) => metricStatement(m, query));
  const params = mergedParams(statements.map((s) => s.params));
  if (!params) return null;
  const sql = branches(metrics, statements.map((s) => s.sql), query).join("\nUNION ALL\n");
  const result = await client.query({ query: sql, query_params: params, format: "JSONEachRow", clickhouse_settings: STATEMENT_SETTINGS });
  const rowsByPanel = new Map<number, RawRow[]>();
  for (const row of await result.json<{ panel: number; rows: string[]; tuples: Array<[string, string, number | null]> }>()) {
    const rows = row.rows.map((text) => JSON.parse(text) as RawRow);
    for (const [key, series, value] of row.tuples) rows.push({ key, series, value });
    rowsByPanel.set(Number(row.panel), rows);
  }
  return metrics.map((m, i) => toMetricResult(m, rowsByPanel.get(i) ?? []));
}
