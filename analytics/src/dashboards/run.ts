import type { ClickHouseClient } from "@clickhouse/client";
import type { MetricQuery } from "../query/input.js";
import { runMetric, type MetricResult } from "../metrics/run.js";
import { getMetric } from "../metrics/registry.js";
import { getDashboard, type Panel } from "./definitions.js";
import { readRollupState } from "../rollup/state.js";
import { hotReadsOf, runMetricsAsOneStatement } from "./one-statement.js";
import { readsAgentLoad, readsAgentSums } from "../metrics/pass.js";
import { hasTerritoryFilter } from "../query/input.js";
import type { MetricDefinition } from "../metrics/define.js";

export type PanelResult = Panel & { result: MetricResult | null };

export type DashboardRunOptions = {
  /** Statements in flight when panels run one by one (a ClickHouse server overlaps them well). */
  concurrency?: number;
  /** "one_statement" (default): every panel in one UNION ALL statement; "per_metric": a statement each. */
  mode?: "one_statement" | "per_metric";
  /**
   * Only these panels (metric ids), the others back with `result: null`: the previous period's stats of a view, one
   * statement for all of them instead of one per panel (each of the agent board's repeating its whole pass).
   */
  panels?: readonly string[];
};

/** The panels `runs` marks, one statement each, `concurrency` at a time (embedded chdb was seen hanging with four in flight). */
async function runPerMetric(client: ClickHouseClient, panels: readonly Panel[], runs: boolean[], query: MetricQuery, concurrency: number): Promise<Array<MetricResult | null>> {
  const results: Array<MetricResult | null> = panels.map(() => null);
  let next = 0;
  const worker = async () => {
    while (next < panels.length) {
      const i = next++;
      if (runs[i]) results[i] = await runMetric(client, panels[i]!.metricId, query);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, panels.length) }, worker));
  return results;
}

/**
 * When the hot rows are computed on the first read of new hot facts (`hot-rows.ts`), not left to a second read of the
 * same facts: for a statement that reads the hot facts for what they hold (`storedReaggregations`) or needs the agent
 * sums' or load hours' floor, which they make exact (`hot-floor.ts`; without them, a coarse floor read, ~15 ms, and
 * every cycle from the hot conversations' start). With one conversation's facts new before each read (9.7M events, 38
 * hot cycles), computing its rows took ~20 ms, where re-aggregating the hot facts in the statement cost the boards 20–70
 * ms more than reading the rows (planning the stored columns' lambdas: the response board's 38 → 56 ms). Alternating in
 * one process, the workload board took 159 ms against 204 p50; the others, paying for the rows, were within noise
 * (response 203 / 213, transfers 210 / 205, volume 181 / 171), and every later reader of the same facts reuses them.
 * A board reading neither (live, sales) computes none.
 */
const needsHotRows = (reaggregations: number, metrics: MetricDefinition[]) => reaggregations > 0 || readsAgentSums(metrics) || readsAgentLoad(metrics);

/** The rollup state for these metrics, read once: when to compute the hot rows, whether the hot counts, the agent sums' floors, the load hours' end. */
export function stateFor(client: ClickHouseClient, metrics: MetricDefinition[], query: MetricQuery) {
  const { reaggregations, hourlySets } = hotReadsOf(metrics, query);
  return readRollupState(client, query.tenantId, {
    hotRowsAtOnce: needsHotRows(reaggregations, metrics), hotCounts: hourlySets, agentSums: readsAgentSums(metrics),
    agentLoad: readsAgentLoad(metrics), territory: hasTerritoryFilter(query),
  });
}

/**
 * The same metrics for several queries of one tenant at one moment (a report's rows: one per agent, team or day, and
 * its total): the rollup state read once, each query's metrics in one statement (a statement each where their
 * parameters clash). A report of 20 agents and 5 metrics was 105 statements and as many state reads.
 */
export async function runMetricsFor(client: ClickHouseClient, ids: readonly string[], queries: readonly MetricQuery[]): Promise<MetricResult[][]> {
  const metrics = ids.map((id) => getMetric(id));
  if (metrics.length === 0 || queries.length === 0) return queries.map(() => []);
  const rollup = queries[0]!.rollup ?? await stateFor(client, metrics, queries[0]!);
  const out: MetricResult[][] = [];
  for (const query of queries) {
    const withRollup = { ...query, rollup };
    const together = await runMetricsAsOneStatement(client, metrics, withRollup);
    const results = together ?? [];
    // One at a time: embedded chdb was seen hanging with four statements in flight.
    if (!together) for (const id of ids) results.push(await runMetric(client, id, withRollup));
    out.push(results);
  }
  return out;
}

/**
 * Every panel of one dashboard for one range/zone/filters: what the web app draws and an export writes.
 * Pending panels, and those `panels` leaves out, come back with `result: null`. The rollup state is read once for all.
 */
export async function runDashboard(client: ClickHouseClient, dashboardId: string, query: MetricQuery, options: DashboardRunOptions = {}): Promise<PanelResult[]> {
  const { concurrency = 1, mode = "one_statement" } = options;
  const panels = getDashboard(dashboardId).panels;
  const only = options.panels === undefined ? undefined : new Set(options.panels);
  const runs = panels.map((p) => p.status === "implemented" && (only === undefined || only.has(p.metricId)));
  const metrics = panels.filter((_, i) => runs[i]).map((p) => getMetric(p.metricId));
  if (metrics.length === 0) return panels.map((p) => ({ ...p, result: null }));
  const withRollup = query.rollup ? query : { ...query, rollup: await stateFor(client, metrics, query) };
  const together = mode === "one_statement" ? await runMetricsAsOneStatement(client, metrics, withRollup) : null;
  if (together) {
    const byMetric = new Map(together.map((r) => [r.metric, r]));
    return panels.map((p) => ({ ...p, result: byMetric.get(p.metricId) ?? null }));
  }
  const results = await runPerMetric(client, panels, runs, withRollup, concurrency);
  return panels.map((p, i) => ({ ...p, result: results[i] ?? null }));
}
