import type { MetricQuery } from "../query/input.js";

/**
 * One read several panels of a board share. A pass is a statement returning one row; each panel built on it
 * gives its rows as an expression over that row's columns: an Array(String) of JSON objects (`value`, `key`,
 * `series`), what the panel's own SELECT would have returned. A dashboard's single statement reads each pass once
 * and unpacks every panel on it from that one row (`one-statement.ts`): referencing a shared subquery from
 * several branches instead had ClickHouse analyse its whole tree once per branch (about 15 ms each at 9M events,
 * more than the read). Run alone, a panel pays for the whole pass, still one read.
 */
export type Pass = { id: string; sql: (q: MetricQuery) => string };
/**
 * `tuples`: `rows` is an Array(Tuple(String, String, Nullable(Float64))) of (key, series, value) instead (`seriesTuples`),
 * for a panel of many rows: a dashboard's statement sends those as they are, not as one JSON text each to parse.
 */
export type PassPanel = { pass: Pass; rows: string | ((q: MetricQuery) => string); tuples?: boolean };
export const rowsOf = (panel: PassPanel, q: MetricQuery) => (typeof panel.rows === "string" ? panel.rows : panel.rows(q));

const asJson = (fields: string, tuple: string) => `toJSONString(CAST(${tuple}, 'Tuple(${fields})'))`;

/** A scalar panel's one row: `value`, a number or NULL. */
export const scalarRow = (expr: string) => `[${asJson("value Nullable(Float64)", `tuple(toFloat64OrNull(toString(${expr})))`)}]`;

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

/**
 * (key, series, value) rows from an array of such tuples, in the array's order, typed as `one-statement.ts` expects
 * them (`tuples` panels). The transfer pair matrix (23k rows at bench size) spent 50 ms as JSON texts, 5 as tuples.
 */
export const seriesTuples = (array: string) =>
  `CAST(arrayMap(e -> (toString(e.1), toString(e.2), toFloat64(e.3)), ${array}), '${SERIES_TUPLES}')`;
export const SERIES_TUPLES = "Array(Tuple(String, String, Nullable(Float64)))";

/** The statement a pass panel runs alone: its rows, one JSON object each (`run.ts` parses them). */
export const passPanelSql = (panel: PassPanel, q: MetricQuery) => panel.tuples
  ? `SELECT toJSONString(CAST(t, 'Tuple(key String, series String, value Nullable(Float64))')) AS json FROM (${panel.pass.sql(q)}) ARRAY JOIN ${rowsOf(panel, q)} AS t`
  : `SELECT arrayJoin(${rowsOf(panel, q)}) AS json FROM (${panel.pass.sql(q)})`;
