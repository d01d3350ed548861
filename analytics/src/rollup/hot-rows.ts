import type { ClickHouseClient } from "@clickhouse/client";
import { rawHotRowsSql } from "../query/cycles.js";
import type { CycleMeasures } from "./contributions.js";
import { DERIVE_FROM, DERIVED_COLUMNS, deriveRow, type DeriveInput } from "./hot-rows-derived.js";
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

/**
 * The hot rows' text (TabSeparatedWithNamesAndTypes, every rollup column) and, by "conversation/cycle", what each
 * contributes to the agent sums (`contributions.ts`: the state's diff reads it).
 */
export type HotRows = { text: string; measures: Map<string, CycleMeasures> };
/** `rows` absent and `computed`: too large to carry. */
type Entry = { key: string; computed: boolean; rows?: HotRows };
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
export async function reusableHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"], factsParts: string[], atOnce = false): Promise<HotRows | undefined> {
  if (hot.length === 0 || hot.length > MAX_HOT_ROWS) return undefined;
  const key = JSON.stringify([hot, factsParts]);
  let current = entries.get(client, tenantId);
  if (current?.key !== key) {
    current = entries.set(client, tenantId, { key, computed: false });
    if (!atOnce) return undefined;
  }
  if (!current.computed) {
    const rows = await computeHotRows(client, tenantId, hot);
    Object.assign(current, { computed: true, rows: rows.text.length <= MAX_HOT_ROWS_TEXT ? rows : undefined });
  }
  return current.rows;
}

/** TSV's escapes (`\\`, `\t`, `\n` …) undone: a field as its value. */
const unescapeTsv = (field: string) => field.replace(/\\(.)/g, (_, c: string) => ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", 0: "\0" })[c] ?? c);

/**
 * The hot cycles' rows: their raw aggregates from the facts, each with its derivation's input, and the stored columns
 * derived from that (`hot-rows-derived.ts`) in its place, as TabSeparatedWithNamesAndTypes text.
 */
export async function computeHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]): Promise<HotRows> {
  const result = await client.query({
    query: (rawText ??= rawHotRowsSql(DERIVE_FROM)),
    query_params: { tenant: tenantId, hot_conversations: hotConversations(hot) },
    format: "TabSeparatedWithNamesAndTypes",
    clickhouse_settings: STATEMENT_SETTINGS,
  });
  const [names, types, ...raw] = (await result.text()).split("\n").filter((line) => line !== "");
  // Fields split on tabs (TSV escapes a tab inside a value), the last one the derivation's input.
  const header = (line: string, derived: string[]) => [...line.split("\t").slice(0, -1), ...derived].join("\t");
  const rows = withConversationTerritory(names!.split("\t").indexOf("territory"), raw.map((row) => row.split("\t")));
  const measures = new Map<string, CycleMeasures>();
  const lines = [
    header(names!, DERIVED_COLUMNS.map(([name]) => name)),
    header(types!, DERIVED_COLUMNS.map(([, type]) => type)),
    ...rows.map((fields) => {
      const derived = deriveRow(JSON.parse(unescapeTsv(fields.at(-1)!)) as DeriveInput);
      // The first two fields: the conversation (a UUID) and the cycle (a number), nothing escaped.
      measures.set(`${fields[0]}/${fields[1]}`, derived.measures);
      return [...fields.slice(0, -1), ...derived.fields].join("\t");
    }),
  ];
  return { text: `${lines.join("\n")}\n`, measures };
}
let rawText: string | undefined;

/** The greater of two TSV fields by their values' bytes, as ClickHouse compares strings. */
const greatest = (a: string, b: string) => (Buffer.compare(Buffer.from(unescapeTsv(a)), Buffer.from(unescapeTsv(b))) >= 0 ? a : b);

/**
 * Each row's territory made its conversation's (in place), as the rollup stores it (migration 0013, `compact.ts`):
 * cycle 1's own or, for a later cycle, the greatest of the conversation's, and over either any set past cycle 1. The
 * hot rows hold every cycle of their conversations, so with them the teams board looks up no territory in the facts.
 */
function withConversationTerritory(column: number, rows: string[][]): string[][] {
  const conversations = new Map<string, { any: string; later: string }>();
  for (const f of rows) {
    const c = conversations.get(f[0]!) ?? { any: "", later: "" };
    conversations.set(f[0]!, { any: greatest(c.any, f[column]!), later: Number(f[1]) > 1 ? greatest(c.later, f[column]!) : c.later });
  }
  for (const f of rows) {
    const c = conversations.get(f[0]!)!;
    f[column] = greatest(Number(f[1]) === 1 ? f[column]! : c.any, c.later);
  }
  return rows;
}
