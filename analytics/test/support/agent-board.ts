import type { ClickHouseClient } from "@clickhouse/client";
import { getMetric, metricStatement, runDashboard, type MetricQuery, type RollupState } from "../../src/index.js";

/** The agent board's panels the sums tests read: resolves, their time, CSAT, revenue, first responses, reopens. */
const PANELS = ["agent_conversations_resolved", "agent_resolution_time_avg", "agent_csat_avg", "agent_revenue", "agent_first_response_time_avg", "agent_reopen_rate"];

/** Those panels' values by agent (and currency), to 9 places, agents with none left out. */
export async function agentBoard(client: ClickHouseClient, q: MetricQuery): Promise<Record<string, Record<string, number>>> {
  const panels = await runDashboard(client, "agent_performance", q);
  return Object.fromEntries(PANELS.map((id) => [id, Object.fromEntries((panels.find((p) => p.metricId === id)?.result?.rows ?? [])
    .filter((r) => r.value !== null && r.value !== 0).map((r) => [r.series ? `${r.key}/${r.series}` : r.key, Math.round(r.value! * 1e9) / 1e9]))]));
}

/** Whether the board's statement in this state reads resolves from the cycles (else the sums alone answer for them). */
export const readsResolvesFromCycles = (q: MetricQuery, rollup: RollupState): boolean =>
  /\bresolves AS\b/.test(metricStatement(getMetric("agent_conversations_resolved"), { ...q, rollup }).sql);
