import type { ClickHouseClient } from "@clickhouse/client";
import type { MetricQuery } from "../query/input.js";
import { runMetric, type MetricResult } from "../metrics/run.js";
import { getMetric } from "../metrics/registry.js";
import { getDashboard, type Panel } from "./definitions.js";
import { readRollupState } from "../rollup/state.js";
import { runMetricsAsOneStatement } from "./one-statement.js";

export type PanelResult = Panel & { result: MetricResult | null };

export type DashboardRunOptions = {
  /** Statements in flight when panels run one by one (a ClickHouse server overlaps them well). */
  concurrency?: number;
  /** "one_statement" (default): every panel in one UNION ALL statement; "per_metric": a statement each. */
  mode?: "one_statement" | "per_metric";
};

/** Panels one statement each, `concurrency` at a time (embedded chdb was seen hanging with four in flight). */
async function runPerMetric(client: ClickHouseClient, panels: readonly Panel[], query: MetricQuery, concurrency: number): Promise<Array<MetricResult | null>> {
  const results: Array<MetricResult | null> = panels.map(() => null);
  let next = 0;
  const worker = async () => {
    while (next < panels.length) {
      const i = next++;
      if (panels[i]!.status === "implemented") results[i] = await runMetric(client, panels[i]!.metricId, query);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, panels.length) }, worker));
  return results;
}

/**
 * Every panel of one dashboard for one range/zone/filters: what the web app draws and an export writes.
 * Pending panels come back with `result: null`. The rollup state is read once for all panels.
 */
export async function runDashboard(client: ClickHouseClient, dashboardId: string, query: MetricQuery, options: DashboardRunOptions = {}): Promise<PanelResult[]> {
  const { concurrency = 1, mode = "one_statement" } = options;
  const panels = getDashboard(dashboardId).panels;
  const withRollup = query.rollup ? query : { ...query, rollup: await readRollupState(client, query.tenantId) };
  const implemented = panels.filter((p) => p.status === "implemented");
  const together = mode === "one_statement"
    ? await runMetricsAsOneStatement(client, implemented.map((p) => getMetric(p.metricId)), withRollup)
    : null;
  if (together) {
    const byMetric = new Map(together.map((r) => [r.metric, r]));
    return panels.map((p) => ({ ...p, result: byMetric.get(p.metricId) ?? null }));
  }
  const results = await runPerMetric(client, panels, withRollup, concurrency);
  return panels.map((p, i) => ({ ...p, result: results[i] ?? null }));
}
