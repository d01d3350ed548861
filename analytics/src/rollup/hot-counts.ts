import type { ClickHouseClient } from "@clickhouse/client";
import { tenantCache } from "./tenant-cache.js";
import { fitsParam, NO_JIT } from "../query/input.js";

/**
 * The hot hours' counts per row key of `activity_counts` (migration 0009), as the compactor would write them, computed
 * once from the hourly id sets and read back by every statement (`hourly.ts`) instead of merging the sets in each
 * read: three reads of the volume board, ~7 ms each for one hot hour at 9.7M events. Statements read them like the
 * stored counts; an event's id sits in one row key, so any grouping of them sums to exact counts. Past what a parameter
 * carries (`fitsParam`; ~32 KB an hour at the bench's 200 agents) statements merge the sets instead.
 */

/** `key`: the hot hours and `activity_hourly`'s version (`state-reads.ts`); `text` absent and `computed`: too large. */
type Entry = { key: string; computed: boolean; text?: string };
const entries = tenantCache<Entry>();

/**
 * The hot hours' counts as TabSeparatedWithNamesAndTypes text, or undefined. Computing them (~20–35 ms for an hour)
 * pays only when more than one read uses them, so, as the hot rows (`hot-rows.ts`), they wait for a second read of
 * the same hot hours over the same version of the id sets: a board polled while nothing arrives, or several boards
 * at one moment. Under steady ingest nearly every read sees new sets and merges them as before.
 */
export async function reusableHotCounts(client: ClickHouseClient, tenantId: string, hotHours: string[], hourlyVersion: string[]): Promise<string | undefined> {
  if (hotHours.length === 0) return undefined;
  const key = JSON.stringify([hotHours, hourlyVersion]);
  let current = entries.get(client, tenantId);
  if (current?.key !== key) {
    entries.set(client, tenantId, { key, computed: false });
    return undefined;
  }
  if (!current.computed) {
    const text = await computeHotCounts(client, tenantId, hotHours);
    current = Object.assign(current, { computed: true, text: fitsParam(text) ? text : undefined });
  }
  return current.text;
}

/** The hot hours' counts from their id sets: `activity_counts`' columns but the version. */
export async function computeHotCounts(client: ClickHouseClient, tenantId: string, hotHours: string[]): Promise<string> {
  const result = await client.query({
    query: `SELECT tenant_id, hour, type, detail, agent_id, team_id, channel_id, uniqExactMerge(events) AS n FROM activity_hourly
      WHERE tenant_id = {tenant:UUID} AND has({hot_hours:Array(DateTime('UTC'))}, hour)
      GROUP BY tenant_id, hour, type, detail, agent_id, team_id, channel_id`,
    query_params: { tenant: tenantId, hot_hours: hotHours },
    format: "TabSeparatedWithNamesAndTypes", clickhouse_settings: NO_JIT,
  });
  return result.text();
}
