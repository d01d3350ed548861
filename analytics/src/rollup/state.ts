import type { ClickHouseClient } from "@clickhouse/client";

/**
 * What a query needs to know about compaction, read once per dashboard instead of once per statement: has
 * any run finished, and which of the tenant's cycles are hot (touched since the last watermark, or pending
 * without a start). Those are re-aggregated from `cycle_facts`; everything else is read from the rollup.
 */
export type RollupState = { ready: boolean; hot: Array<[conversationId: string, cycle: number]> };

/** The "no rollup" state: every cycle re-aggregated from its facts (always correct, only slower). */
export const NO_ROLLUP: RollupState = { ready: false, hot: [] };

/** Beyond this many hot cycles (a burst, a backfill) the parameter would outweigh the savings: use facts only. */
const MAX_HOT = 5_000;

export async function readRollupState(client: ClickHouseClient, tenantId: string): Promise<RollupState> {
  const result = await client.query({
    query: `SELECT (SELECT count() FROM cycle_rollup_runs) AS runs,
        (SELECT groupArray((toString(conversation_id), cycle)) FROM (
          SELECT DISTINCT conversation_id, cycle FROM (
            SELECT conversation_id, cycle FROM cycle_touches
            WHERE tenant_id = {tenant:UUID} AND touched_at >= (SELECT max(watermark) FROM cycle_rollup_runs)
            UNION ALL
            SELECT conversation_id, cycle FROM cycle_rollup_pending WHERE tenant_id = {tenant:UUID})
          LIMIT {limit:UInt32})) AS hot`,
    query_params: { tenant: tenantId, limit: MAX_HOT + 1 },
    format: "JSONEachRow",
  });
  const [row] = await result.json<{ runs: string | number; hot: Array<[string, number]> }>();
  const hot = row?.hot ?? [];
  if (Number(row?.runs ?? 0) === 0 || hot.length > MAX_HOT) return NO_ROLLUP;
  return { ready: true, hot };
}
