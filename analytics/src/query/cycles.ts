/**
 * SQL building blocks shared by the metric queries. They are static text: every value a user can influence
 * reaches ClickHouse as a typed query parameter ({name:Type}), never by string concatenation.
 */

import type { RollupState } from "../rollup/state.js";
import { fitsParam, splitLargeArrays, type MetricQuery, type QueryParams } from "./input.js";
import { shapeForHours } from "./hourly.js";
import { derivedColumns, rawColumns, storedInRollup, type Column, type CycleKey } from "./cycle-columns.js";
export { bothKeys, cycleKeys, eitherKey, type CycleKey } from "./cycle-columns.js";
export { agentFilter, bucketExpr, cycleAgentFilter, extractInRange, extractRange, resolvedInRange, startedInRange, transferCyclesIn, transferCyclesKey } from "./range-filters.js";

/** Columns the filters always read. */
const filterText = "conversation_id channel team tag_set";
/** The identifiers a SQL text names. */
export const words = (text: string) => new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);

type Needed = { raw: Column[]; stored: Column[]; factsRaw: Column[]; factsStored: Column[]; derived: Column[] };

/**
 * Only the columns `usedBy` mentions, and what those need: ClickHouse's planner spends more on a wide CTE
 * of lambdas than the query spends running, so each query gets the narrowest one. A derived column the rollup
 * stores (`stored`) is read there as is; only the hot side needs the raw columns it is computed from (`factsRaw`).
 */
function neededColumns(usedBy: string, derived: Column[]): Needed {
  const needed = words(`${usedBy} ${filterText}`);
  for (const [alias, expr] of [...derived].reverse()) if (needed.has(alias) && !storedInRollup.has(alias)) for (const w of words(expr)) needed.add(w);
  const stored = derived.filter(([a]) => needed.has(a) && storedInRollup.has(a));
  // The hot side computes the stored columns, and the stored ones they are computed from (exact FRT: responses).
  const forFacts = new Set(needed);
  for (const [alias, expr] of [...derived].reverse()) if (forFacts.has(alias) && storedInRollup.has(alias)) for (const w of words(expr)) forFacts.add(w);
  return {
    raw: rawColumns.filter(([a]) => needed.has(a)), stored, factsRaw: rawColumns.filter(([a]) => forFacts.has(a)),
    factsStored: derived.filter(([a]) => forFacts.has(a) && storedInRollup.has(a)),
    derived: derived.filter(([a]) => needed.has(a) && !storedInRollup.has(a)),
  };
}

// Which cycles the rollup cannot answer for, and whether it can answer at all: query parameters read once per
// dashboard (`readRollupState`), so statements do not each look them up. Every cycle of a conversation with a hot
// cycle is taken from the facts: testing the conversation alone on each rollup row is cheaper than the (conversation,
// cycle) pair (3–9 ms a board at 9.7M events), and its siblings' facts are a few more rows of the same granules. The
// set is a constant, built while planning, that prunes `cycle_facts_v2` by its key; as `IN (SELECT arrayJoin(…))`
// each use ran a pipeline of its own and pruned nothing (~5 ms more per side).
export const isHot = "conversation_id IN {hot_conversations:Array(UUID)}";
const rollupReady = "{rollup_ready:UInt8} = 1";

const branch = (name: string) => new RegExp(`/\\*${name}\\{\\*/[\\s\\S]*?/\\*\\}${name}\\*/`, "g");

/**
 * The statement for one rollup state (the hourly counts' sides too, `hourly.ts`): a side with nothing to read is
 * cut out of the text, because ClickHouse still plans and scans it (the hot-cycle test does not prune
 * `cycle_facts_v2` by its key). So is the territory filter when the query has none (`territoryFiltered` false): its
 * set is still planned and built for every `cycles` CTE, a few ms each. Values stay parameters.
 */
export function shapeForRollup(text: string, rollup: RollupState, territoryFiltered = true): string {
  const sql = territoryFiltered ? shapeForHours(text, rollup) : shapeForHours(text, rollup).replace(branch("territory"), "");
  if (!rollup.ready) return sql.replace(branch("rollup"), "").replace(branch("both"), "").replace(branch("hotrows"), "").replace(branch("hotset"), "");
  // After a compaction the hot side reads the state's rows, or tests its key after aggregating (`aggregateFacts`);
  // with none hot, it goes.
  if (rollup.hot.length > 0 && rollup.hotRows !== undefined) return sql.replace(branch("facts"), "");
  if (rollup.hot.length > 0) return sql.replace(branch("norollup"), "").replace(branch("cold"), "").replace(branch("hotrows"), "");
  return sql.replace(branch("facts"), "").replace(branch("both"), "").replace(branch("hot"), "").replace(branch("hotrows"), "");
}


/**
 * A territory filter on a row that holds its conversation's territory: a compacted cycle (migration 0013: the compactor
 * rewrites a conversation's cycles when its territory facts change) or a hot row (`hot-rows.ts`). As a set of every
 * conversation of the territory (`territories`) tested in each cycles CTE, it was built again for each: one territory
 * of three at 9.7M events is ~330k conversations, and the agent board took 561 ms p50 (126 unfiltered).
 */
const ownTerritory = "/*territory{*/ AND ({f_territory:Nullable(String)} IS NULL OR territory = {f_territory:Nullable(String)})/*}territory*/";
/** The same for cycles aggregated from their facts, where only an opening's cycle has a territory: the conversation's is looked up. */
const lookedUpTerritory = "/*territory{*/ AND ({f_territory:Nullable(String)} IS NULL OR conversation_id IN (SELECT conversation_id FROM territories))/*}territory*/";

/** Compacted cycles, read as stored; the newest version of each (FINAL) and none of a conversation with a hot one. */
function fromRollup(aliases: string[], keys: CycleKey | null): string {
  return `SELECT ${aliases.join(", ")}
  FROM cycle_rollup FINAL
  WHERE tenant_id = {tenant:UUID} AND ${rollupReady}/*hot{*/ AND NOT (${isHot})/*}hot*/${keys ? ` AND (${keys.where})` : ""}${ownTerritory}`;
}

/** Marks a read of the hot facts for what the hot rows hold: with them at hand, the statement reads them instead. */
export const STORED_MARK = "/*stored*/";
/**
 * How many times a statement's text (before `shapeForRollup`) would compute the stored columns over the hot facts, or
 * read them for what else the hot rows hold (the teams board's territories): each costs 10–30 ms (their lambdas
 * planned, the facts read again), computing the hot rows ~15 ms plus ~0.65 per conversation (`hot-rows.ts`).
 */
export const storedReaggregations = (sql: string): number => sql.split(STORED_MARK).length - 1;

/**
 * Hot cycles (all cycles before the first compaction), re-aggregated from their facts so merges never matter,
 * with the columns the rollup stores computed over those aggregates (layers up: they unpack arrays in lambdas).
 */
function fromFacts(aliases: string[], { factsRaw, factsStored }: Needed, keys: CycleKey | null): string {
  let sql = aggregateFacts(factsRaw, keys);
  for (const layer of storedLayers(factsStored)) sql = `SELECT *, ${layer.map(([alias, expr]) => `${expr} AS ${alias}`).join(", ")} FROM (${sql})`;
  return factsStored.length === 0 ? sql : `${STORED_MARK}SELECT ${aliases.join(", ")} FROM (${sql})`;
}

/**
 * The stored columns in layers, each over the columns of the layers below it: a column naming another (the per-agent
 * sums name the answered runs three times, the stints four) reads it as a column of the subquery, where as an alias
 * of the same SELECT ClickHouse analysed its whole expression again at every mention (the agent board with 19 hot
 * cycles re-aggregated: 248 -> 239 ms, interleaved A/B at 9.7M events).
 */
function storedLayers(stored: Column[]): Column[][] {
  const layers: Column[][] = [];
  const layerOf = new Map<string, number>();
  for (const [alias, expr] of stored) {
    const below = [...words(expr)].map((w) => layerOf.get(w) ?? -1);
    const layer = Math.max(-1, ...below) + 1;
    layerOf.set(alias, layer);
    (layers[layer] ??= []).push([alias, expr]);
  }
  return layers;
}

/**
 * The hot cycles as the dashboard's state carries them (`readRollupState`: every rollup column, computed once), read
 * back from the parameter instead of re-aggregated here: planning the stored columns' lambdas over the facts cost
 * ~20 ms each time a statement names the CTE (twice per pass on the agents board), whatever the hot count.
 */
function fromHotRows(aliases: string[], keys: CycleKey | null): string {
  return `SELECT ${aliases.join(", ")} FROM format(TabSeparatedWithNamesAndTypes, {hot_rows:String}) WHERE ${keys ? `(${keys.where})` : "1"}${ownTerritory}`;
}

/** The lines of TSV text (a row each: TSV escapes newlines inside values). */
const tsvLines = (rows: string) => (rows.endsWith("\n") ? rows.slice(0, -1) : rows).split("\n");

/**
 * The state's hot rows with only the columns `sql` names (every column a `fromHotRows` read selects is named in its
 * text), or none when it reads none: ClickHouse analyses the parameter's text as a constant at each read of it, and
 * that cost grows with its size (the agent board's three reads, 19 hot cycles: 58 KB of rows, 24 KB of its columns,
 * 217 -> 206 ms). TSV escapes tabs and newlines inside values, so both split the text exactly.
 */
export function hotRowsFor(sql: string, rows: string): string {
  // A statement shaped without a read of them still carried the whole text (58 KB: 2 ms a statement).
  if (rows === "" || !sql.includes("{hot_rows:String}")) return "";
  const lines = tsvLines(rows);
  const mentioned = words(sql);
  const kept = lines[0]!.split("\t").flatMap((name, i) => (mentioned.has(name) ? [i] : []));
  return lines.map((line) => {
    const fields = line.split("\t");
    return kept.map((i) => fields[i]).join("\t");
  }).join("\n") + "\n";
}


/**
 * A statement's parameters as sent: `hot_rows` narrowed to what its text reads (`hotRowsFor`), `agent_delta` and
 * `hot_counts` only to a statement that reads them.
 */
export const sentParams = (sql: string, params: QueryParams): QueryParams => ({
  ...params, hot_rows: hotRowsFor(sql, String(params.hot_rows ?? "")), agent_delta: sql.includes("{agent_delta:String}") ? params.agent_delta ?? "" : "",
  hot_counts: sql.includes("{hot_counts:String}") ? params.hot_counts ?? "" : "",
});

/**
 * The statement `build` gives and its parameters as sent (`sentParams`), or, when the hot rows its text reads outgrow a
 * parameter (`fitsParam`: the live board's messages and ownership changes are half the rows' text), the statement
 * that re-aggregates the hot facts itself; an array too large for one field goes as several (`splitLargeArrays`). Null
 * when `build` gives none.
 */
export function fittedStatement(query: MetricQuery, build: (query: MetricQuery) => { sql: string; params: QueryParams } | null): { sql: string; params: QueryParams } | null {
  const built = build(query);
  if (built === null) return null;
  const sent = sentParams(built.sql, built.params);
  if (query.rollup?.hotRows === undefined || fitsParam(String(sent.hot_rows))) return splitLargeArrays(built.sql, sent);
  const again = build({ ...query, rollup: { ...query.rollup, hotRows: undefined } });
  return again && splitLargeArrays(again.sql, sentParams(again.sql, again.params));
}

/**
 * The hot cycles' raw aggregates and `extra` as `derive_from`: the state derives the stored columns from it
 * (`rollup/hot-rows-derived.ts`) instead of planning their lambdas (`hotRowsSql`, which they must equal).
 */
export const rawHotRowsSql = (extra: string): string =>
  `SELECT *, ${extra} AS derive_from FROM (${aggregateFacts(rawColumns, null).replace(branch("cold"), "").replace(branch("territory"), "")})`;

/** Every column `cycle_rollup` stores (raw and stored derived), for the hot cycles only: what `fromHotRows` reads. */
function buildHotRowsSql(): string {
  const stored = derivedColumns().filter(([alias]) => storedInRollup.has(alias));
  const aliases = ["conversation_id", "cycle", ...rawColumns.map(([alias]) => alias), ...stored.map(([alias]) => alias)];
  const all: Needed = { raw: rawColumns, stored, factsRaw: rawColumns, factsStored: stored, derived: [] };
  return fromFacts(aliases, all, null).replace(branch("cold"), "").replace(branch("territory"), "");
}
let hotRowsText: string | undefined;
export const hotRowsSql = (): string => (hotRowsText ??= buildHotRowsSql());

/**
 * Before the first compaction every cycle is hot: a key pass first keeps the aggregation to the cycles the query
 * needs (the hot test goes inside it too: its set is built before anything else, over every cycle it reads). After
 * one, the hot cycles are few: aggregated all, then tested (HAVING), one read of the facts instead of two.
 */
function aggregateFacts(raw: Column[], keys: CycleKey | null): string {
  const hotOnly = `tenant_id = {tenant:UUID} AND (/*cold{*/NOT ${rollupReady} OR /*}cold*/${isHot})`;
  const keyPass = keys === null ? "" : `/*norollup{*/\n    AND (conversation_id, cycle) IN (SELECT conversation_id, cycle FROM cycle_facts_v2
      WHERE ${hotOnly} GROUP BY conversation_id, cycle HAVING (${keys.having}))/*}norollup*/`;
  const keyTest = keys === null ? "" : `/*rollup{*/\n  HAVING (${keys.having})/*}rollup*/`;
  const list = raw.map(([alias, expr]) => `,\n    ${expr} AS ${alias}`).join("");
  return `SELECT conversation_id, cycle${list}
  FROM cycle_facts_v2
  WHERE ${hotOnly}${keyPass}${lookedUpTerritory}
  GROUP BY conversation_id, cycle${keyTest}`;
}

/** One row per conversation cycle: compacted cycles from the rollup, the rest re-aggregated from their facts. */
function cycleCte(name: string, keys: CycleKey | null, usedBy: string): string {
  const needed = neededColumns(usedBy, derivedColumns());
  const { raw, stored, derived } = needed;
  const aliases = ["conversation_id", "cycle", ...raw.map(([a]) => a), ...stored.map(([a]) => a)];
  const list = (cols: Column[]) => cols.map(([alias, expr]) => `${expr} AS ${alias}`).join(",\n    ");
  return `${name}_raw AS (
  /*rollup{*/${fromRollup(aliases, keys)}/*}rollup*/
  /*both{*/UNION ALL/*}both*/
  /*facts{*/${fromFacts(aliases, needed, keys)}/*}facts*/
  /*hotrows{*/${fromHotRows(aliases, keys)}/*}hotrows*/
),
${name} AS (
  SELECT ${aliases.join(", ")}${derived.length ? `,\n    ${list(derived)}` : ""}
  FROM ${name}_raw
  WHERE ({f_channel:Nullable(UUID)} IS NULL OR channel = {f_channel:Nullable(UUID)})
    AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team))
    AND ({f_tag:Nullable(String)} IS NULL OR has(tag_set, {f_tag:Nullable(String)}))
)`;
}

// From the narrow conversation → territory table (migration 0011) the teams board reads too, not the wide facts. After a
// compaction only hot conversations are aggregated from their facts: only theirs are looked up. A conversation's
// territory is the greatest of its rows' (merged or not): a row of another territory, not merged yet with a greater one
// (an opening past cycle 1), is not its territory.
const territoryRows = `tenant_id = {tenant:UUID}/*hotset{*/ AND ${isHot}/*}hotset*/`;
const territoriesCte = `territories AS (
  SELECT conversation_id FROM conversation_territories
  WHERE {f_territory:Nullable(String)} IS NOT NULL AND ${territoryRows}
    AND conversation_id IN (SELECT conversation_id FROM conversation_territories WHERE ${territoryRows} AND territory = {f_territory:Nullable(String)})
  GROUP BY conversation_id HAVING max(territory) = {f_territory:Nullable(String)}
)`;

/** `cycles` (optionally only the `keys` cycles) then the metric's own SELECT. */
export const overCycles = (select: string, keys: CycleKey | null = null) =>
  `WITH /*territory{*/${territoriesCte},/*}territory*/\n${cycleCte("cycles", keys, select)}\n${select}`;

/**
 * Several reads of the cycles, each under its own name and key and with only the columns its `usedBy` names, then
 * the select over them: parts of one select that need different cycles, or different columns of them. Each CTE is
 * read where it is named either way; narrow ones cost less to plan, most of all where hot cycles are re-aggregated
 * from their facts, whose stored columns' lambdas are analysed again for every reference.
 */
export const overCycleReads = (select: string, reads: Array<{ name: string; keys: CycleKey | null; usedBy: string }>) =>
  `WITH /*territory{*/${territoriesCte},/*}territory*/\n${reads.map((r) => cycleCte(r.name, r.keys, r.usedBy)).join(",\n")}\n${select}`;

/**
 * `frt_cycles`: every cycle with its exact first response (`exact_frt*`, stored by the rollup: migration 0008).
 * Columns: conversation_id, cycle, team, started_ms_, start_at, resolve_at, first_customer, assignees, frt (s), frt_agent,
 * frt_from_ms, frt_to_ms.
 */
export function overExactFrt(select: string, keys: CycleKey | null = null): string {
  const exact = "exact_frt AS frt, exact_frt_agent AS frt_agent, exact_frt_from_ms AS frt_from_ms, exact_frt_to_ms AS frt_to_ms";
  const columns = `conversation_id, cycle, team, started_ms_, start_at, resolve_at, first_customer, assignees, ${exact}`;
  return `WITH /*territory{*/${territoriesCte},/*}territory*/\n${cycleCte("cycles", keys, `${columns} ${select}`)},
frt_cycles AS (SELECT ${columns} FROM cycles)
${select}`;
}
