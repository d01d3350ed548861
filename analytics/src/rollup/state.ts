import type { ClickHouseClient } from "@clickhouse/client";
import { hotRowsSql } from "../query/cycles.js";
import { STATEMENT_SETTINGS } from "../query/input.js";

/**
 * What a query needs to know about compaction, read once per dashboard instead of once per statement: has
 * any run finished, and which of the tenant's cycles are hot (touched since the last watermark, or pending
 * without a start). Those are re-aggregated from `cycle_facts_v2`; everything else is read from the rollup. The
 * same for hours of activity: hot ones merge their id sets, the rest read their counts.
 */
export type RollupState = {
  ready: boolean;
  hot: Array<[conversationId: string, cycle: number]>;
  /** The same for the hourly counts (`hourly.ts`): has a run finished, and which hours ('YYYY-MM-DD HH:00:00' UTC) are hot. */
  countsReady: boolean;
  hotHours: string[];
  /**
   * The hot cycles' rows with every rollup column (`hotRowsSql`), as TabSeparatedWithNamesAndTypes text: each
   * statement reads them back instead of re-aggregating their facts. Absent (too many, too large, or none
   * hot): statements aggregate the facts themselves, as correct and slower.
   */
  hotRows?: string;
};

/** The "no rollup" state: every cycle re-aggregated from its facts, every hour's id sets merged (always correct, only slower). */
export const NO_ROLLUP: RollupState = { ready: false, hot: [], countsReady: false, hotHours: [] };

/** Beyond this many hot cycles (a burst, a backfill) the parameter would outweigh the savings: use facts only. */
const MAX_HOT = 5_000;
/** Beyond this many hot hours (a backfill of old events) merge the sets of every hour. */
const MAX_HOT_HOURS = 2_000;

export async function readRollupState(client: ClickHouseClient, tenantId: string): Promise<RollupState> {
  const result = await client.query({
    query: `SELECT (SELECT count() FROM cycle_rollup_runs) AS runs,
        (SELECT groupArray((toString(conversation_id), cycle)) FROM (
          SELECT DISTINCT conversation_id, cycle FROM (
            SELECT conversation_id, cycle FROM cycle_touches
            WHERE tenant_id = {tenant:UUID} AND touched_at >= (SELECT max(watermark) FROM cycle_rollup_runs)
            UNION ALL
            SELECT conversation_id, cycle FROM cycle_rollup_pending WHERE tenant_id = {tenant:UUID})
          LIMIT {limit:UInt32})) AS hot,
        (SELECT count() FROM activity_counts_runs) AS count_runs,
        (SELECT groupArray(toString(hour)) FROM (
          SELECT DISTINCT hour FROM activity_touches
          WHERE tenant_id = {tenant:UUID} AND touched_at >= (SELECT max(watermark) FROM activity_counts_runs)
          LIMIT {hour_limit:UInt32})) AS hot_hours`,
    query_params: { tenant: tenantId, limit: MAX_HOT + 1, hour_limit: MAX_HOT_HOURS + 1 },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ runs: string | number; hot: Array<[string, number]>; count_runs: string | number; hot_hours: string[] }>();
  const hot = row?.hot ?? [];
  const hotHours = row?.hot_hours ?? [];
  const counts = Number(row?.count_runs ?? 0) > 0 && hotHours.length <= MAX_HOT_HOURS ? { countsReady: true, hotHours } : { countsReady: false, hotHours: [] };
  if (Number(row?.runs ?? 0) === 0 || hot.length > MAX_HOT) return { ...NO_ROLLUP, ...counts };
  return { ready: true, hot, ...counts, hotRows: await readHotRows(client, tenantId, hot) };
}

/**
 * A parameter travels in the URL to a ClickHouse server (`http_max_uri_size`, 1 MiB by default): past this many
 * hot cycles or characters of their rows, statements aggregate the facts instead. A burst or backfill, not the
 * steady state (50–150 events in the compactor's window at 9.7M events in 90 days).
 */
const MAX_HOT_ROWS = 1_000;
const MAX_HOT_ROWS_TEXT = 256 * 1024;

/**
 * The hot rows of a client's tenants, with what they were computed from: the hot cycles and the parts of
 * `cycle_facts_v2` holding their facts. Parts never change once written (an insert or a merge makes a new name),
 * so the same cycles over the same parts have the same rows: a dashboard polled every few seconds, or the next
 * board, reads the ~6 ms part list instead of re-aggregating (~60 ms at 20 hot cycles, mostly planning).
 */
const hotRowsCache = new WeakMap<ClickHouseClient, Map<string, { key: string; rows: string | undefined }>>();
const MAX_CACHED_TENANTS = 200;

async function readHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]): Promise<string | undefined> {
  if (hot.length === 0 || hot.length > MAX_HOT_ROWS) return undefined;
  const params = { tenant: tenantId, hot_conversations: hot.map(([conversation]) => conversation), hot_cycles: hot.map(([, cycle]) => cycle) };
  const parts = await client.query({
    query: `SELECT arraySort(groupUniqArray(_part)) AS parts FROM cycle_facts_v2
      WHERE tenant_id = {tenant:UUID} AND (conversation_id, cycle) IN arrayZip({hot_conversations:Array(UUID)}, {hot_cycles:Array(UInt32)})`,
    query_params: params, format: "JSONEachRow",
  });
  const [row] = await parts.json<{ parts: string[] }>();
  const key = JSON.stringify([hot, row?.parts ?? []]);
  const cache = hotRowsCache.get(client) ?? new Map<string, { key: string; rows: string | undefined }>();
  hotRowsCache.set(client, cache);
  const cached = cache.get(tenantId);
  if (cached?.key === key) return cached.rows;
  const result = await client.query({ query: hotRowsSql(), query_params: params, format: "TabSeparatedWithNamesAndTypes", clickhouse_settings: STATEMENT_SETTINGS });
  const text = await result.text();
  const rows = text.length <= MAX_HOT_ROWS_TEXT ? text : undefined;
  if (!cache.has(tenantId) && cache.size >= MAX_CACHED_TENANTS) cache.delete(cache.keys().next().value!);
  cache.set(tenantId, { key, rows });
  return rows;
}
