import type { ClickHouseClient } from "@clickhouse/client";
import { chTime } from "../query/input.js";
import { queryRows } from "./runs.js";

/**
 * `activity_counts_days` (migration 0022): the hourly counts summed per UTC day, written by the hourly counts' run after
 * its hours and before it records itself (`hourly.ts`): every day on the first run since the migration, then the days of
 * the hours it rewrote. Until the run is recorded those hours are hot, and queries read their days by hours.
 */

const COLUMNS = "tenant_id, day, type, detail, agent_id, team_id, channel_id, n, version";
const sumOfHours = (where: string) => `SELECT tenant_id, toStartOfDay(hour) AS day, type, detail, agent_id, team_id, channel_id, sum(n), {version:Int64}
  FROM activity_counts FINAL WHERE ${where}
  GROUP BY tenant_id, day, type, detail, agent_id, team_id, channel_id`;

/** Whether every day was written once (a build row): until then queries read the hours. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const [row] = await queryRows<{ n: string }>(client, "SELECT count() AS n FROM activity_counts_days_builds");
  return Number(row?.n ?? 0) > 0;
}

/**
 * The days of the hours this run wrote (`touchedHours`, a select of (tenant_id, hour) over the run's window; null: none),
 * or every day once.
 */
export async function compactActivityDays(client: ClickHouseClient, touchedHours: string | null, params: Record<string, unknown>, version: number): Promise<void> {
  if (!(await built(client))) {
    await client.command({ query: `INSERT INTO activity_counts_days (${COLUMNS}) ${sumOfHours("1")}`, query_params: { version } });
    const [row] = await queryRows<{ n: string }>(client, "SELECT uniqExact(tenant_id, day) AS n FROM activity_counts_days");
    await client.insert({ table: "activity_counts_days_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), days: Number(row?.n ?? 0) }] });
    return;
  }
  if (touchedHours === null) return;
  const days = `SELECT DISTINCT tenant_id, toStartOfDay(hour) FROM (${touchedHours})`;
  await client.command({
    query: `INSERT INTO activity_counts_days (${COLUMNS}) ${sumOfHours(`(tenant_id, toStartOfDay(hour)) IN (${days})`)}`,
    query_params: { ...params, version },
  });
}
