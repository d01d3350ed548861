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

/**
 * How many rows of keys a compactor's write sends as one parameter (a bucket ~63 bytes, an agent ~53): a ClickHouse
 * server refuses a parameter past 128 KiB (`MAX_PARAM_BYTES`), and a run after an outage or a replay can touch thousands,
 * where a refused write would fail every run after it.
 */
export const KEYS_PER_WRITE = 1_000;

/** `items` in order, `KEYS_PER_WRITE` at a time. */
export function inWrites<T>(items: T[]): T[][] {
  const writes: T[][] = [];
  for (let i = 0; i < items.length; i += KEYS_PER_WRITE) writes.push(items.slice(i, i + KEYS_PER_WRITE));
  return writes;
}
