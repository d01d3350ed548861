import type { ClickHouseClient } from "@clickhouse/client";
import { percentile } from "../../router/bench/stats.js";
import { runMetricsByAgent, runMetricsFor, type MetricQuery } from "../src/index.js";
import { sameRows, timeRounds } from "./rounds.js";

/** A report by agent timed: its p50 of three read grouped, one round of a statement per row, and the cells that differ. */
export type ReportTiming = { groupedP50: number; perRowMs: number; cellsDiffer: number };

/**
 * The report builder by agent (web `exports/run-report.server.ts`): a row per agent, each the metrics with that agent's
 * filter, and the total. The passes that group by agent are read once for every row (`runMetricsByAgent`); the
 * baseline is a statement per row (`runMetricsFor`), as the report ran before, one round of it.
 */
export async function timeReportByAgent(client: ClickHouseClient, metrics: string[], query: MetricQuery, agents: string[]): Promise<ReportTiming> {
  const grouped = await timeRounds(3, 1, () => runMetricsByAgent(client, metrics, query, agents));
  const queries = [...agents.map((agentId) => ({ ...query, filters: { agentId } })), query];
  let perRowTable: Awaited<ReturnType<typeof runMetricsFor>> = [];
  const perRow = await timeRounds(1, 0, async () => { perRowTable = await runMetricsFor(client, metrics, queries); });
  const cellsDiffer = (await runMetricsByAgent(client, metrics, query, agents))
    .flatMap((row, i) => row.filter((cell, j) => !sameRows(cell.rows, perRowTable[i]![j]!.rows))).length;
  return { groupedP50: percentile(grouped, 50), perRowMs: perRow[0]!, cellsDiffer };
}
