import type { ClickHouseClient } from "@clickhouse/client";
import { hotRowsSql } from "../query/cycles.js";
import { STATEMENT_SETTINGS } from "../query/input.js";
import { hotConversations, type RollupState } from "./state.js";
import { tenantCache } from "./tenant-cache.js";

/**
 * A parameter travels to a ClickHouse server in the request (`use_multipart_params_auto`): past this many hot
 * cycles or characters of their rows, statements aggregate the facts instead. A burst or backfill, not the steady
 * state (50–150 events in the compactor's window at 9.7M events in 90 days).
 */
const MAX_HOT_ROWS = 1_000;
const MAX_HOT_ROWS_TEXT = 256 * 1024;

/** `rows` absent and `computed`: too large to carry. */
type Entry = { key: string; computed: boolean; rows?: string };
const entries = tenantCache<Entry>();

/**
 * The hot cycles' rows, computed once (every rollup column: ~50 ms at 20 hot cycles, mostly planning the stored
 * columns' lambdas) and read back by every statement, or undefined: statements then re-aggregate the hot facts in
 * each CTE (~10–25 ms per reference, three on the agents board). Computing only pays when they are read more than
 * once, so it waits for a second read of the same hot cycles over the same version of `cycle_facts_v2` (the blocks
 * its parts cover and their mutations, `state-reads.ts`: a merge keeps it). Under steady ingest nearly every read
 * sees new facts and takes the facts path as before; a board polled while nothing arrives, or the
 * boards and supervisors reading the same moment, reuse the rows. `atOnce`: compute them on the first read too, for
 * a statement that would otherwise re-aggregate the stored columns more than once (`storedReaggregations`).
 */
export async function reusableHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"], factsParts: string[], atOnce = false): Promise<string | undefined> {
  if (hot.length === 0 || hot.length > MAX_HOT_ROWS) return undefined;
  const key = JSON.stringify([hot, factsParts]);
  let current = entries.get(client, tenantId);
  if (current?.key !== key) {
    current = entries.set(client, tenantId, { key, computed: false });
    if (!atOnce) return undefined;
  }
  if (!current.computed) {
    const rows = await computeHotRows(client, tenantId, hot);
    Object.assign(current, { computed: true, rows: rows.length <= MAX_HOT_ROWS_TEXT ? rows : undefined });
  }
  return current.rows;
}

async function computeHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]): Promise<string> {
  const result = await client.query({
    query: hotRowsSql(),
    query_params: { tenant: tenantId, hot_conversations: hotConversations(hot) },
    format: "TabSeparatedWithNamesAndTypes",
    clickhouse_settings: STATEMENT_SETTINGS,
  });
  return result.text();
}
