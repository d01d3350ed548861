import type { MetricQuery, QueryParams } from "../query/input.js";
import { passPanelSql, type PassPanel } from "./pass.js";
export { overCycles } from "../query/cycles.js";

export type Unit = "count" | "seconds" | "share" | "money" | "score" | "per_minute";
/** scalar: one value; series: (bucket, value[, series]); breakdown: (key, value[, series]). */
export type MetricKind = "scalar" | "series" | "breakdown";
export type Text = { es: string; en: string };

export type MetricDefinition = {
  id: string;
  name: Text;
  description: Text;
  unit: Unit;
  kind: MetricKind;
  /** "pending": defined in the catalog, not computed yet; `runMetric` refuses it rather than invent a number. */
  status: "implemented" | "pending";
  /** Query text (static but for the bucket choice); values travel only as {name:Type} parameters. */
  sql?: (q: MetricQuery) => string;
  /** Parameters beyond the common ones (business-hour windows, …). */
  params?: (q: MetricQuery) => QueryParams;
  /** A panel read from a pass it shares with others of its board (`pass.ts`); `sql` then runs it alone. */
  fromPass?: PassPanel;
};

type Spec = Omit<MetricDefinition, "status">;

export const implemented = (spec: Spec): MetricDefinition => ({ ...spec, status: "implemented" });

/** A panel of a shared pass: its rows are `rows`, an expression over the pass's row (`pass.ts`). */
export const onPass = (spec: Omit<Spec, "sql">, fromPass: PassPanel): MetricDefinition =>
  ({ ...spec, status: "implemented", fromPass, sql: (q) => passPanelSql(fromPass, q) });

export const pending = (id: string, name: Text, description: Text, unit: Unit, kind: MetricKind): MetricDefinition =>
  ({ id, name, description, unit, kind, status: "pending" });


export type Stat = "avg" | "p50" | "p90";
/** Percentiles interpolate linearly between ranks (Excel's PERCENTILE.INC), so tests can compute them by hand. */
export const statAgg: Record<Stat, (expr: string) => string> = {
  avg: (e) => `avgOrNull(${e})`,
  p50: (e) => `quantileExactInclusiveOrNull(0.5)(${e})`,
  p90: (e) => `quantileExactInclusiveOrNull(0.9)(${e})`,
};
/** How a variant's name reads: "… (promedio)". */
export const statText: Record<Stat, Text> = {
  avg: { es: "promedio", en: "average" },
  p50: { es: "mediana (p50)", en: "median (p50)" },
  p90: { es: "p90", en: "p90" },
};

export const t = (es: string, en: string): Text => ({ es, en });
