import type { MetricQuery } from "../query/input.js";
import type { RawRow } from "./run.js";

/**
 * One read several panels of a board share. A pass is a statement returning one row; each panel built on it
 * gives its rows from that row's columns: in TypeScript (`JsPassPanel`, most panels), or as a ClickHouse expression
 * (`SqlPassPanel`: an Array(String) of JSON objects, `value`, `key`, `series`) where the rows need ClickHouse (buckets
 * in the query's zone). A dashboard's single statement reads each pass once and unpacks every
 * panel on it from that one row (`one-statement.ts`): referencing a shared subquery from several branches instead had
 * ClickHouse analyse its whole tree once per branch (about 15 ms each at 9M events, more than the read). Run alone, a
 * panel pays for the whole pass, still one read.
 */
/**
 * `agentSums`: its statement may read `agent_time_sums`, so its state needs the hot floor; `agentLoad`: the same for
 * `agent_load_hours` and up to when they may be read (`RollupStateOptions`).
 */
export type Pass = { id: string; sql: (q: MetricQuery) => string; agentSums?: true; agentLoad?: true };
/** Whether any of these panels reads `agent_time_sums`. */
export const readsAgentSums = (panels: Array<{ fromPass?: PassPanel }>) => panels.some((m) => m.fromPass?.pass.agentSums === true);
/** Whether any of these panels reads `agent_load_hours`. */
export const readsAgentLoad = (panels: Array<{ fromPass?: PassPanel }>) => panels.some((m) => m.fromPass?.pass.agentLoad === true);
export type SqlPassPanel = { pass: Pass; rows: string | ((q: MetricQuery) => string) };
/**
 * The pass's row as ClickHouse writes it in JSON (`formatRowNoNewline`): numbers (64-bit ones too), null for NULL and
 * NaN, named tuples and maps as objects, other tuples as arrays.
 */
export type PassRow = Record<string, unknown>;
/** A panel whose rows are unpacked here from `columns` of the pass's row: see `JsPassPanel`. */
export type RowsFromPass = (row: PassRow) => RawRow[];
/**
 * A panel computed in TypeScript from the pass's row (its `columns` only, sent once for all such panels of the pass):
 * ClickHouse analysed each panel's lambdas over that row again in every statement, 1–2 ms apiece (15 ms of the agent
 * board's plan for its thirteen), for arrays of at most a few hundred elements.
 */
export type JsPassPanel = { pass: Pass; columns: string[]; unpack: RowsFromPass; also?: PassColumns[] };
/**
 * Columns of another pass a TypeScript panel reads too (`unpack` gets one row with both's columns): a value another
 * pass of the board reads anyway, instead of a scalar subquery ClickHouse runs before the statement starts.
 */
export type PassColumns = { pass: Pass; columns: string[] };
export type PassPanel = SqlPassPanel | JsPassPanel;
export const isJsPanel = (panel: PassPanel): panel is JsPassPanel => "unpack" in panel;
export const rowsOf = (panel: SqlPassPanel, q: MetricQuery) => (typeof panel.rows === "string" ? panel.rows : panel.rows(q));
/** The pass row's `columns` as one JSON object text. */
export const passRowJson = (columns: string[]) => `formatRowNoNewline('JSONEachRow', ${columns.join(", ")})`;

/** A scalar panel's row: the pass row's `column` as it is (NULL, and NaN, as null). */
export const columnValue = (column: string): Pick<JsPassPanel, "columns" | "unpack"> =>
  ({ columns: [column], unpack: (row) => [{ value: row[column] === null || row[column] === undefined ? null : Number(row[column]) }] });

/** part / whole, or null when the whole is 0 (or NULL): the ratio panels' `if(whole = 0, NULL, part / whole)`. */
export const share = (part: unknown, whole: unknown): number | null => (Number(whole ?? 0) === 0 ? null : Number(part ?? 0) / Number(whole));
/** Rows by count, largest first, then by key: the order of the "by reason" and "by detail" panels. */
export const byCountThenKey = (a: RawRow, b: RawRow) => Number(b.value) - Number(a.value) || byText(a.key!, b.key!);

/** A breakdown row. */
export const keyed = (key: string, value: number | null): RawRow => ({ key, value });
/** Agents (or any text key) in ClickHouse's order for strings: by bytes, which for these ASCII keys is JS's `<`. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A Map(String, number) the pass wrote as an object, as (key, value) rows sorted by key. */
export const mapRows = (map: unknown): RawRow[] =>
  Object.entries((map ?? {}) as Record<string, number>).sort(([a], [b]) => byText(a, b)).map(([key, value]) => keyed(key, Number(value)));

const asJson = (fields: string, tuple: string) => `toJSONString(CAST(${tuple}, 'Tuple(${fields})'))`;

/** Breakdown rows from an array of (key, value) tuples, in the array's order. */
export const keyedRows = (array: string) => `arrayMap(e -> ${asJson("key String, value Nullable(Float64)", "(toString(e.1), toFloat64(e.2))")}, ${array})`;

/** Breakdown rows from an array of (key, series, value) tuples, in the array's order. */
export const seriesRows = (array: string) =>
  `arrayMap(e -> ${asJson("key String, series String, value Nullable(Float64)", "(toString(e.1), toString(e.2), toFloat64(e.3))")}, ${array})`;

/** Series rows from (bucket, value) pairs: `sumMap`'s (buckets, values), buckets sorted as text (chronological). */
export const bucketRows = (sums: string) =>
  `arrayMap((b, v) -> ${asJson("bucket String, value Nullable(Float64)", "(b, toFloat64(v))")}, ${sums}.1, ${sums}.2)`;

/** (keys, sums) of `values` grouped by `keys` (two arrays of one element per item), keys sorted. */
export const sumBy = (keys: string, values: string) => `arrayReduce('sumMap', arrayMap(k -> [k], ${keys}), arrayMap(v -> [v], ${values}))`;


/** The statement a pass panel runs alone: its rows, one JSON object each, or the pass's row for a TypeScript panel (`run.ts` parses them). */
export const passPanelSql = (panel: PassPanel, q: MetricQuery) => isJsPanel(panel)
  ? `SELECT ${passRowJson([panel, ...(panel.also ?? [])].flatMap((p) => p.columns))} AS json
  FROM ${[panel, ...(panel.also ?? [])].map((p, i) => `(${p.pass.sql(q)}) AS pass_${i}`).join(" CROSS JOIN ")}`
  : `SELECT arrayJoin(${rowsOf(panel, q)}) AS json FROM (${panel.pass.sql(q)})`;
