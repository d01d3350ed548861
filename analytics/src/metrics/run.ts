import type { ClickHouseClient } from "@clickhouse/client";
import { baseParams, hasTerritoryFilter, STATEMENT_SETTINGS, type MetricQuery, type QueryParams } from "../query/input.js";
import { getMetric } from "./registry.js";
import { NO_ROLLUP, readRollupState } from "../rollup/state.js";
import { fittedStatement, shapeForRollup } from "../query/cycles.js";
import type { MetricDefinition, MetricKind, Unit } from "./define.js";
import { apartSettings, readsAgentLoad, readsAgentSums, type PassRow } from "./pass.js";

export type MetricRow = { value: number | null; bucket?: string; key?: string; series?: string };
export type MetricResult = { metric: string; unit: Unit; kind: MetricKind; rows: MetricRow[] };

export type RawRow = { value: number | string | null; bucket?: string; key?: string; series?: string | number | null };

const toNumber = (v: number | string | null): number | null => {
  if (v === null) return null;
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : null;
};

function normalize(row: RawRow): MetricRow {
  const out: MetricRow = { value: toNumber(row.value) };
  if (row.bucket !== undefined) out.bucket = row.bucket;
  if (row.key !== undefined) out.key = row.key;
  if (row.series !== undefined && row.series !== null) out.series = String(row.series);
  return out;
}

/** The parameters a metric's statement takes: the common ones and its own. */
export const metricParams = (metric: MetricDefinition, query: MetricQuery): QueryParams => ({ ...baseParams(query), ...metric.params?.(query) });

/** The SQL and parameters a metric would run, for exports and for tests that check nothing is inlined. */
export function metricStatement(metric: MetricDefinition, query: MetricQuery): { sql: string; params: QueryParams } {
  if (metric.status !== "implemented" || !metric.sql) throw new Error(`metric ${metric.id} is pending: not computed yet`);
  return { sql: shapeForRollup(metric.sql(query), query.rollup ?? NO_ROLLUP, hasTerritoryFilter(query)), params: metricParams(metric, query) };
}

/** A metric's result from its raw rows: numbers normalised; a scalar always has one row (null: nothing to measure). */
export function toMetricResult(metric: MetricDefinition, raw: RawRow[]): MetricResult {
  const rows = raw.map(normalize);
  if (metric.kind === "scalar" && rows.length === 0) rows.push({ value: null });
  return { metric: metric.id, unit: metric.unit, kind: metric.kind, rows };
}

/** Computes one metric. */
export async function runMetric(client: ClickHouseClient, id: string, query: MetricQuery): Promise<MetricResult> {
  const metric = getMetric(id);
  // Dashboards pass the state they read once; a lone metric reads it only if it reads compacted data at all.
  const readsCycles = !query.rollup && /cycle_rollup|activity_counts/.test(metric.sql?.(query) ?? "");
  const withRollup = readsCycles ? { ...query, rollup: await readRollupState(client, query.tenantId, { agentSums: readsAgentSums([metric]), agentLoad: readsAgentLoad([metric]), territory: hasTerritoryFilter(query) }) } : query;
  const { sql, params } = fittedStatement(withRollup, (q) => metricStatement(metric, q))!;
  const result = await client.query({ query: sql, query_params: params, format: "JSONEachRow", clickhouse_settings: { ...STATEMENT_SETTINGS, ...apartSettings(sql) } });
  const rows = await result.json<RawRow & { json?: string }>();
  // A pass panel's rows come back as JSON text (pass.ts), the same objects a dashboard's statement returns; a
  // TypeScript panel's, as the pass's row to unpack.
  const panel = metric.fromPass;
  if (panel) return toMetricResult(metric, rows.flatMap((r) => panel.unpack(JSON.parse(r.json!) as PassRow)));
  return toMetricResult(metric, panel ? rows.map((r) => JSON.parse(r.json!) as RawRow) : rows);
}

/** A scalar metric's value (tests and exports). */
export async function metricValue(client: ClickHouseClient, id: string, query: MetricQuery): Promise<number | null> {
  return (await runMetric(client, id, query)).rows[0]?.value ?? null;
}
