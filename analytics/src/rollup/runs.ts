import type { ClickHouseClient } from "@clickhouse/client";

/** A statement's rows as JSON objects. */
export async function queryRows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: "JSONEachRow" });
  return result.json<T>();
}

/** A compactor's runs so far: how many, the last watermark (ClickHouse text) and the last run's version (ms, 0 before any). */
export type LastRun = { runs: number; since: string; ranMs: number };

/** The runs recorded in `table` (`cycle_rollup_runs`, `activity_counts_runs`: one row per run, migrations 0005, 0009). */
export async function lastRun(client: ClickHouseClient, table: "cycle_rollup_runs" | "activity_counts_runs"): Promise<LastRun> {
  const [row] = await queryRows<{ runs: string; since: string; ran_ms: string }>(client,
    `SELECT count() AS runs, toString(max(watermark)) AS since, toString(toUnixTimestamp64Milli(max(ran_at))) AS ran_ms FROM ${table}`);
  return { runs: Number(row?.runs ?? 0), since: row?.since ?? "1970-01-01 00:00:00", ranMs: Number(row?.ran_ms ?? 0) };
}

/**
 * A run's rows' version: its clock, or just past the last recorded run's if that clock was ahead (another host's,
 * or this one's before it was set back). The newest version wins every merge and FINAL, and must hold the newest
 * facts: a run at an earlier version would lose its rows to the older run's until its cycles change again.
 */
export const versionAfter = (now: Date, last: LastRun): number => Math.max(now.getTime(), last.ranMs + 1);
