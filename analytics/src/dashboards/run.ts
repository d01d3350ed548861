import type { ClickHouseClient } from "@clickhouse/client";
import type { MetricQuery } from "../query/input.js";
import { runMetric, type MetricResult } from "../metrics/run.js";
import { getDashboard, type Panel } from "./definitions.js";
import { readRollupState } from "../rollup/state.js";

export type PanelResult = Panel & { result: MetricResult | null };

/**
 * Every panel of one dashboard for one range/zone/filters: what the web app draws and an export writes.
 * Pending panels come back with `result: null`. Queries run one at a time unless `concurrency` says otherwise:
 * a ClickHouse server overlaps them well, but embedded chdb was seen hanging with four in flight.
 */
export async function runDashboard(client: ClickHouseClient, dashboardId: string, query: MetricQuery, concurrency = 1): Promise<PanelResult[]> {
  const panels = getDashboard(dashboardId).panels;
  const withRollup = query.rollup ? query : { ...query, rollup: await readRollupState(client, query.tenantId) };
  const results: PanelResult[] = panels.map((p) => ({ ...p, result: null }));
  let next = 0;
  const worker = async () => {
    while (next < panels.length) {
      const i = next++;
      if (panels[i]!.status === "implemented") results[i]!.result = await runMetric(client, panels[i]!.metricId, withRollup);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, panels.length) }, worker));
  return results;
}
