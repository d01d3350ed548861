import type { ClickHouseClient } from "@clickhouse/client";
import { hasTerritoryFilter, STATEMENT_SETTINGS, type MetricQuery, type QueryParams } from "../query/input.js";
import { metricStatement, toMetricResult, type MetricResult, type RawRow } from "../metrics/run.js";
import type { MetricDefinition } from "../metrics/define.js";
import { fittedStatement, shapeForRollup, storedReaggregations } from "../query/cycles.js";
import { apartSettings, passRowJson, passSql, type Pass, type PassRow } from "../metrics/pass.js";
import { NO_ROLLUP, type RollupState } from "../rollup/state.js";
import { NIL_UUID } from "../rollup/contributions.js";

/** The metrics' parameters as one set; null when two metrics give the same name different values. */
export function mergedParams(all: QueryParams[]): QueryParams | null {
  const merged: QueryParams = {};
  for (const params of all) {
    for (const [name, value] of Object.entries(params)) {
      // Most are the same value (the same hot rows text, 58 KB, in every metric's): compared without writing them out.
      if (name in merged && merged[name] !== value && JSON.stringify(merged[name]) !== JSON.stringify(value)) return null;
      merged[name] = value;
    }
  }
  return merged;
}

/** The panel index under which a pass's row comes back: past any real panel index. */
const PASS_ROW = 1_000_000;

/** One pass of the statement: the columns of its row its panels read (theirs or as `also`). */
export type PassRead = { pass: Pass; columns: Set<string> };

/** Every pass the metrics read, in order of first use. */
export function passReads(metrics: MetricDefinition[]): PassRead[] {
  const reads = new Map<string, PassRead>();
  const readOf = (pass: Pass) => reads.get(pass.id) ?? reads.set(pass.id, { pass, columns: new Set() }).get(pass.id)!;
  for (const { fromPass: panel } of metrics) {
    if (!panel) continue;
    for (const { pass, columns } of [panel, ...(panel.also ?? [])]) columns.forEach((c) => readOf(pass).columns.add(c));
  }
  return [...reads.values()];
}

/** A compacted tenant with a hot cycle and no hot rows: the state the hot rows are computed, or not, for. */
const HOT_WITHOUT_ROWS: RollupState = { ...NO_ROLLUP, ready: true, hot: [[NIL_UUID, 1]] };

/** The metrics' statement texts in that state, before `shapeForRollup`. */
function hotProbeTexts(metrics: MetricDefinition[], query: MetricQuery): string[] {
  const probe = { ...query, rollup: HOT_WITHOUT_ROWS };
  return [...metrics.filter((m) => !m.fromPass).map((m) => m.sql!(probe)), ...passReads(metrics).map((r) => r.pass.sql(probe))];
}

/**
 * What the metrics' statement reads of the hot data without the state's rows and counts of it: how many times it
 * would compute the stored columns over hot facts, or read them for what else the hot rows hold
 * (`storedReaggregations`), and whether it reads hourly id sets (`hourly.ts`), which the hot counts replace.
 */
export function hotReadsOf(metrics: MetricDefinition[], query: MetricQuery): { reaggregations: number; hourlySets: boolean } {
  const texts = hotProbeTexts(metrics, query);
  return { reaggregations: texts.reduce((n, text) => n + storedReaggregations(text), 0), hourlySets: texts.some((text) => text.includes("activity_hourly")) };
}
export const storedReaggregationsOf = (metrics: MetricDefinition[], query: MetricQuery): number => hotReadsOf(metrics, query).reaggregations;

/**
 * One branch per metric (its rows as JSON text under the panel's index), except panels of a shared pass
 * (`metrics/pass.ts`): one branch per pass, reading it once, its row (the columns its panels read) under `PASS_ROW` +
 * the pass's place in `passReads`.
 */
function branches(metrics: MetricDefinition[], reads: PassRead[], sqls: string[], query: MetricQuery): string[] {
  const out: string[] = [];
  for (const [i, m] of metrics.entries()) {
    if (!m.fromPass) out.push(`SELECT toUInt32(${i}) AS panel, groupArray(formatRowNoNewline('JSONEachRow', *)) AS rows FROM (\n${sqls[i]}\n)`);
  }
  for (const [n, { pass, columns }] of reads.entries()) {
    const from = shapeForRollup(passSql(pass, query, columns), query.rollup ?? NO_ROLLUP, hasTerritoryFilter(query));
    out.push(`SELECT toUInt32(${PASS_ROW + n}) AS panel, [${passRowJson([...columns])}] AS rows FROM (\n${from}\n)`);
  }
  return out;
}

/** Each panel's rows from the statement's; a pass panel's from the rows of its pass and its `also` passes. */
function rowsByPanel(metrics: MetricDefinition[], reads: PassRead[], result: Array<{ panel: number; rows: string[] }>): Map<number, RawRow[]> {
  const byPanel = new Map<number, RawRow[]>();
  const passRows = new Map<string, PassRow>();
  for (const row of result) {
    const panel = Number(row.panel);
    if (panel >= PASS_ROW) {
      passRows.set(reads[panel - PASS_ROW]!.pass.id, JSON.parse(row.rows[0]!) as PassRow);
      continue;
    }
    byPanel.set(panel, row.rows.map((text) => JSON.parse(text) as RawRow));
  }
  metrics.forEach((m, i) => {
    const panel = m.fromPass;
    if (panel) byPanel.set(i, panel.unpack(Object.assign({}, ...[panel, ...(panel.also ?? [])].map(({ pass }) => passRows.get(pass.id)))));
  });
  return byPanel;
}

/**
 * Several metrics as one statement: each metric's own statement becomes a branch of a UNION ALL returning its
 * rows, in their order, as JSON text under the panel's index (a pass's row, for its TypeScript panels). ClickHouse runs the branches side by side and
 * plans them once; the per-statement cost (parse, plan, a round trip through the client) is paid once.
 * Null when the metrics' parameters clash: the caller runs them one by one.
 */
export async function runMetricsAsOneStatement(client: ClickHouseClient, metrics: MetricDefinition[], query: MetricQuery): Promise<MetricResult[] | null> {
  const reads = passReads(metrics);
  const statement = fittedStatement(query, (q) => {
    const statements = metrics.map((m) => metricStatement(m, q));
    const params = mergedParams(statements.map((s) => s.params));
    return params && { sql: branches(metrics, reads, statements.map((s) => s.sql), q).join("\nUNION ALL\n"), params };
  });
  if (!statement) return null;
  const settings = { ...STATEMENT_SETTINGS, ...apartSettings(statement.sql) };
  const result = await client.query({ query: statement.sql, query_params: statement.params, format: "JSONEachRow", clickhouse_settings: settings });
  const byPanel = rowsByPanel(metrics, reads, await result.json<{ panel: number; rows: string[] }>());
  return metrics.map((m, i) => toMetricResult(m, byPanel.get(i) ?? []));
}
