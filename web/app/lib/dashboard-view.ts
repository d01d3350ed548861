import type { MetricRow } from "@centralita/analytics";
import type { Unit } from "./metric-format";

/** One panel as the browser draws it: the metric's words in the viewer's language, its rows, its last period. */
export type PanelView = {
  metricId: string;
  chart: "stat" | "line" | "bar" | "stacked_bar" | "table" | "heatmap" | "funnel" | "donut";
  breakdown: string;
  name: string;
  description: string;
  unit: Unit;
  /** null: the catalog defines the metric but it is not computed yet (shown as such, never as zero). */
  rows: MetricRow[] | null;
  previous: number | null;
};

export type DashboardView = {
  id: string;
  title: string;
  refresh: "live" | "range";
  window: { from: string; to: string; timeZone: string; bucket: "hour" | "day" | "week" };
  panels: PanelView[];
  /** Names behind breakdown keys: agents, teams and channels by id. */
  labels: Record<string, string>;
};

/** Panels of one kind, kept in the dashboard's order: cards first, then charts, then the per-key tables. */
export function groupPanels(panels: PanelView[]) {
  const stats = panels.filter((p) => p.chart === "stat");
  const tables = panels.filter((p) => p.chart === "table");
  const charts = panels.filter((p) => p.chart !== "stat" && p.chart !== "table");
  const tablesByBreakdown = new Map<string, PanelView[]>();
  for (const t of tables) tablesByBreakdown.set(t.breakdown, [...(tablesByBreakdown.get(t.breakdown) ?? []), t]);
  return { stats, charts, tables: [...tablesByBreakdown.entries()].map(([breakdown, columns]) => ({ breakdown, columns })) };
}

export type TableRowView = { key: string; values: Record<string, number | null> };

/**
 * Several per-key metrics side by side: one row per key, one column per metric. A metric split by a series (an
 * agent's revenue per currency) contributes one column per series.
 */
export function mergeTable(columns: PanelView[]): { columnIds: string[]; rows: TableRowView[] } {
  const byKey = new Map<string, TableRowView>();
  const columnIds: string[] = [];
  for (const panel of columns) {
    for (const row of panel.rows ?? []) {
      if (row.key === undefined || row.key === "" || row.key === "00000000-0000-0000-0000-000000000000") continue;
      const column = row.series ? `${panel.metricId}:${row.series}` : panel.metricId;
      if (!columnIds.includes(column)) columnIds.push(column);
      const entry = byKey.get(row.key) ?? { key: row.key, values: {} };
      entry.values[column] = row.value;
      byKey.set(row.key, entry);
    }
    if (!(panel.rows ?? []).some((r) => r.series) && !columnIds.includes(panel.metricId)) columnIds.push(panel.metricId);
  }
  return { columnIds, rows: [...byKey.values()] };
}

/** Series rows pivoted for a chart: one object per bucket with one field per series. */
export function pivotSeries(rows: MetricRow[], fallbackSeries: string): { data: Array<Record<string, string | number>>; series: string[] } {
  const byBucket = new Map<string, Record<string, string | number>>();
  const series: string[] = [];
  for (const row of rows) {
    const bucket = row.bucket ?? row.key ?? "";
    const name = row.series ?? fallbackSeries;
    if (!series.includes(name)) series.push(name);
    const entry = byBucket.get(bucket) ?? { bucket };
    entry[name] = row.value ?? 0;
    byBucket.set(bucket, entry);
  }
  const data = [...byBucket.values()].sort((a, b) => String(a.bucket).localeCompare(String(b.bucket)));
  for (const entry of data) for (const name of series) entry[name] ??= 0;
  return { data, series };
}
