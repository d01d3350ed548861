import type { ClickHouseClient } from "@clickhouse/client";
import { rawHotRowsSql } from "../query/cycles.js";
import type { CycleMeasures } from "./contributions.js";
import { DERIVE_FROM, DERIVED_COLUMNS, deriveRow, type DeriveInput } from "./hot-rows-derived.js";
import { STATEMENT_SETTINGS } from "../query/input.js";
import { hotConversations, type RollupState } from "./state.js";
import { tenantCache } from "./tenant-cache.js";

/**
 * Past this many hot cycles or characters of their rows, statements aggregate the facts instead: a burst or backfill,
 * not the steady state (50–150 events in the compactor's window at 9.7M events in 90 days, 38 hot cycles and 148 KB of
 * rows; three times that at a peak). A statement is sent the columns it reads (`hotRowsFor`), and one whose share
 * outgrows a parameter re-aggregates the facts itself (`fittedStatement`): the whole text is never sent, and at 256 KB
 * (77 hot cycles, 292 KB) every board had lost its rows (the agents board 128 -> 296 ms p50, 9.7M events).
 */
const MAX_HOT_ROWS = 1_000;
const MAX_HOT_ROWS_TEXT = 4 * 1024 * 1024;

/**
 * The hot rows' text (TabSeparatedWithNamesAndTypes, every rollup column) and, by "conversation/cycle", what each
 * contributes to the agent sums (`contributions.ts`: the state's diff reads it).
 */
export type HotRows = { text: string; measures: Map<string, CycleMeasures> };
/** One conversation's rows (every cycle of it, TSV lines) and measures, and its touches when they were computed. */
type ConversationRows = { touches: number; lines: string[]; measures: Array<[string, CycleMeasures]> };
/**
 * What the hot cycles' rows are computed from: the facts' versions, and each hot conversation's touches. An insert's
 * touches are written by a view of its facts' insert, after them, so touches read never run ahead of the facts read
 * after them: rows computed later hold at least what the touches they are kept under say.
 */
export type HotRowsSource = { facts: string[]; rewrites: string; touchesSince: string; touches: Record<string, number> };
/**
 * `key`: the hot cycles and the facts' version the entry is for; `rows` absent and `computed`: too large to carry.
 * `base`: what the touches were counted since, and the rewrites: with the same, a conversation whose touches did not
 * change has the same facts, and its rows are kept in `conversations`.
 */
type Entry = { key: string; base: string; touches: Record<string, number>; computed: boolean; rows?: HotRows; header?: string[]; conversations: Map<string, ConversationRows> };
const entries = tenantCache<Entry>();


/**
 * The hot cycles' rows, read back by every statement instead of re-aggregating their facts in each CTE (20–70 ms a
 * board, most of it planning the stored columns' lambdas), or undefined. Computing them costs ~20 ms for one
 * conversation, ~60 for 37 (their raw aggregates read, the rest derived in TypeScript), so each conversation's are kept
 * while its touches (an insert into its facts adds one, `state-reads.ts`) stay the same: new facts cost their
 * conversations' rows only. Unless asked at once, they wait for a second read of the same hot cycles over the same
 * version of `cycle_facts_v2` (a merge keeps it), for a board that reads the hot facts for none of what they hold
 * (`atOnce`: `runDashboard` asks when its statement reads them).
 */
export async function reusableHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"], source: HotRowsSource, atOnce = false): Promise<HotRows | undefined> {
  if (hot.length === 0 || hot.length > MAX_HOT_ROWS) return undefined;
  const key = JSON.stringify([hot, source.facts]);
  const conversations = hotConversations(hot);
  let current = entries.get(client, tenantId);
  if (current?.key !== key) {
    const base = JSON.stringify([source.touchesSince, source.rewrites]);
    const same = current?.base === base ? current : undefined;
    current = entries.set(client, tenantId, { key, base, touches: source.touches, computed: false, header: same?.header, conversations: keptFor(conversations, same) });
    if (!atOnce) return undefined;
  }
  if (!current.computed) Object.assign(current, { computed: true, rows: await rowsOf(client, tenantId, conversations, current) });
  return current.rows;
}

/** The rows kept of an entry over the same touches' base, for the conversations still hot. */
const keptFor = (conversations: string[], same: Entry | undefined) =>
  new Map(conversations.flatMap((conversation) => { const rows = same?.conversations.get(conversation); return rows ? [[conversation, rows] as const] : []; }));
/** The conversations whose rows are not kept, or were computed with other touches than the entry's. */
const staleOf = (conversations: string[], entry: Entry) => conversations.filter((conversation) => entry.conversations.get(conversation)?.touches !== (entry.touches[conversation] ?? 0));

/** The hot conversations' rows in one text: those kept whose touches are the same, the rest computed now. */
async function rowsOf(client: ClickHouseClient, tenantId: string, conversations: string[], entry: Entry): Promise<HotRows | undefined> {
  const stale = staleOf(conversations, entry);
  if (stale.length > 0) {
    const computed = await computeConversationRows(client, tenantId, stale);
    entry.header = computed.header;
    for (const conversation of stale) {
      const rows = computed.rows.get(conversation) ?? { lines: [], measures: [] };
      entry.conversations.set(conversation, { touches: entry.touches[conversation] ?? 0, ...rows });
    }
  }
  const rows = joined(entry.header!, conversations.map((conversation) => entry.conversations.get(conversation)!));
  return rows.text.length <= MAX_HOT_ROWS_TEXT ? rows : undefined;
}

/** The header's lines and the conversations' rows as one text, their measures in one map. */
const joined = (header: string[], conversations: Array<Pick<ConversationRows, "lines" | "measures">>): HotRows => ({
  text: `${[...header, ...conversations.flatMap((rows) => rows.lines)].join("\n")}\n`, measures: new Map(conversations.flatMap((rows) => rows.measures)),
});

/** TSV's escapes (`\\`, `\t`, `\n` …) undone: a field as its value. */
const unescapeTsv = (field: string) => field.replace(/\\(.)/g, (_, c: string) => ({ t: "\t", n: "\n", r: "\r", b: "\b", f: "\f", 0: "\0" })[c] ?? c);

/** The hot cycles' rows, computed from their facts (`computeConversationRows`). */
export async function computeHotRows(client: ClickHouseClient, tenantId: string, hot: RollupState["hot"]): Promise<HotRows> {
  const computed = await computeConversationRows(client, tenantId, hotConversations(hot));
  return joined(computed.header, [...computed.rows.values()]);
}

/**
 * Conversations' rows: their cycles' raw aggregates from the facts, each with its derivation's input, and the stored
 * columns derived from that (`hot-rows-derived.ts`) in its place, as TabSeparatedWithNamesAndTypes lines; the header's
 * two lines apart.
 */
async function computeConversationRows(client: ClickHouseClient, tenantId: string, conversations: string[]) {
  const result = await client.query({
    query: (rawText ??= rawHotRowsSql(DERIVE_FROM)),
    query_params: { tenant: tenantId, hot_conversations: conversations },
    format: "TabSeparatedWithNamesAndTypes",
    clickhouse_settings: STATEMENT_SETTINGS,
  });
  const [names, types, ...raw] = (await result.text()).split("\n").filter((line) => line !== "");
  // Fields split on tabs (TSV escapes a tab inside a value), the last one the derivation's input.
  const header = (line: string, derived: string[]) => [...line.split("\t").slice(0, -1), ...derived].join("\t");
  const rows = new Map<string, { lines: string[]; measures: Array<[string, CycleMeasures]> }>();
  for (const fields of withConversationTerritory(names!.split("\t").indexOf("territory"), raw.map((row) => row.split("\t")))) {
    const derived = deriveRow(JSON.parse(unescapeTsv(fields.at(-1)!)) as DeriveInput);
    // The first two fields: the conversation (a UUID) and the cycle (a number), nothing escaped.
    const conversation = rows.get(fields[0]!) ?? { lines: [], measures: [] };
    conversation.lines.push([...fields.slice(0, -1), ...derived.fields].join("\t"));
    conversation.measures.push([`${fields[0]}/${fields[1]}`, derived.measures]);
    rows.set(fields[0]!, conversation);
  }
  return { header: [header(names!, DERIVED_COLUMNS.map(([name]) => name)), header(types!, DERIVED_COLUMNS.map(([, type]) => type))], rows };
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
