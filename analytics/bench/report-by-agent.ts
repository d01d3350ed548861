import type { ClickHouseClient } from "@clickhouse/client";
import { percentile } from "../../router/bench/stats.js";
import { runMetricsByAgent, runMetricsFor, type MetricQuery } from "../src/index.js";
import { timeRounds } from "./rounds.js";

/** A report by agent timed: its p50 of three read grouped, one round of a statement per row, and the cells that differ. */
export type ReportTiming = { groupedP50: number; perRowMs: number; cellsDiffer: number };

/**
 * Whether two cells are the same, numbers within a relative 1e-9: an average summed in another order differs in its
 * last bits (rounded to 12 digits instead, 455.4670703125 fell either side of a rounding boundary).
 */
function sameCell(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a === b;
  const [keysA, keysB] = [Object.keys(a), Object.keys(b)];
  return keysA.length === keysB.length && keysA.every((k) => sameCell((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

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
    .flatMap((row, i) => row.filter((cell, j) => !sameCell(cell, perRowTable[i]![j]))).length;
  return { groupedP50: percentile(grouped, 50), perRowMs: perRow[0]!, cellsDiffer };
}
