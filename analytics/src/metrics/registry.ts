import { agentMetrics } from "./agents.js";
import type { MetricDefinition } from "./define.js";
import { demandMetrics } from "./demand.js";
import { liveMetrics } from "./live.js";
import { automationMetrics, qualityMetrics } from "./quality.js";
import { responseTimeMetrics } from "./response-times.js";
import { salesMetrics } from "./sales.js";
import { volumeMetrics } from "./volume.js";
import { workloadMetrics } from "./workload.js";
import { transferMetrics } from "./transfers.js";
import { teamBoardMetrics } from "./teams-board.js";

/** Every metric of spec/metrics.md. A metric not computed yet would be listed with `pending(…)` (define.ts). */
export const metricCatalog: readonly MetricDefinition[] = [
  ...liveMetrics, ...responseTimeMetrics, ...agentMetrics, ...qualityMetrics, ...automationMetrics,
  ...salesMetrics, ...volumeMetrics, ...demandMetrics, ...workloadMetrics, ...teamBoardMetrics, ...transferMetrics,
];

export const metricsById: ReadonlyMap<string, MetricDefinition> = new Map(metricCatalog.map((m) => [m.id, m]));

export function getMetric(id: string): MetricDefinition {
  const metric = metricsById.get(id);
  if (!metric) throw new Error(`unknown metric ${id}`);
  return metric;
}
