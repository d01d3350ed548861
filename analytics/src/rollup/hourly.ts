import type { ClickHouseClient } from "@clickhouse/client";
import { chTime } from "../query/input.js";
import { compactActivityDays } from "./activity-days.js";
import { lastRun, queryRows, versionAfter } from "./runs.js";

export type HourCompactionResult = { watermark: Date; hours: number };

/** Hours of one month rewritten by one run beyond which the run merges that month's parts (a day of hours). */
const LARGE_MONTH_HOURS = 24;

const touchedHours = `SELECT DISTINCT tenant_id, hour FROM activity_touches
  WHERE touched_at >= {since:DateTime64(3, 'UTC')} AND touched_at < {until:DateTime64(3, 'UTC')}`;

/**
 * Writes the counts (`activity_counts`, migration 0009) of every hour touched since the previous run's watermark
 * (on the first run, since the touches began) from the hourly id sets, and their days (`activity-days.ts`), then records
 * the new watermark. The same
 * protocol as the cycle rollup (`compact.ts`): the watermark trails `now` by the longest insert, queries merge the
 * sets of hours touched after it, and a run that dies half-way leaves correct results (its watermark was never
 * recorded). One INSERT per month of touched hours, so a first run over a long history holds one month at a time.
 */
export async function compactActivityHours(client: ClickHouseClient, now: Date, safetyMs: number): Promise<HourCompactionResult> {
  const watermark = new Date(now.getTime() - safetyMs);
  const last = await lastRun(client, "activity_counts_runs");
  const window = { since: last.since, until: chTime(watermark) };
  const version = versionAfter(now, last);
  const months = await queryRows<{ month: number; hours: string }>(client,
    `SELECT toYYYYMM(hour) AS month, count() AS hours FROM (${touchedHours}) GROUP BY month ORDER BY month`, window);
  for (const { month, hours } of months) {
    await client.command({
      query: `INSERT INTO activity_counts (tenant_id, hour, type, detail, agent_id, team_id, channel_id, n, version)
        SELECT tenant_id, hour, type, detail, agent_id, team_id, channel_id, uniqExactMerge(events), {version:Int64}
        FROM activity_hourly
        WHERE toYYYYMM(hour) = {month:UInt32} AND (tenant_id, hour) IN (SELECT tenant_id, hour FROM (${touchedHours}) WHERE toYYYYMM(hour) = {month:UInt32})
        GROUP BY tenant_id, hour, type, detail, agent_id, team_id, channel_id`,
      query_params: { ...window, month, version },
    });
    // A large rewrite (a first run, a backfill) leaves a month in several parts, and every FINAL read merges them
    // (a 30-day read at 9M events: 35–48 ms over four parts a month, 13–22 once merged). Merge such a month now, once; the few
    // parts of routine runs are left to background merges. `month` is toYYYYMM's number, checked, never user text.
    if (Number(hours) >= LARGE_MONTH_HOURS && Number.isInteger(Number(month))) {
      await client.command({ query: `OPTIMIZE TABLE activity_counts PARTITION ${Number(month)} FINAL` });
    }
  }
  const hours = months.reduce((sum, m) => sum + Number(m.hours), 0);
  // Before the run is recorded: until then its hours are hot, and queries read their days by hours.
  await compactActivityDays(client, hours > 0 ? touchedHours : null, window, version);
  await client.insert({ table: "activity_counts_runs", format: "JSONEachRow", values: [{ ran_at: chTime(new Date(version)), watermark: chTime(watermark), hours }] });
  return { watermark, hours };
}
