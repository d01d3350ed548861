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
export type PassPanel = { pass: Pass; rows: string | ((q: MetricQuery) => string) };
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

/** The statement a pass panel runs alone: its rows, one JSON object each (`run.ts` parses them). */
export const passPanelSql = (panel: PassPanel, q: MetricQuery) => `SELECT arrayJoin(${rowsOf(panel, q)}) AS json FROM (${panel.pass.sql(q)})`;
