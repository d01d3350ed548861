import { metricCatalog, metricsById, type MetricDefinition, type MetricQuery } from "@centralita/analytics";
import { addDays, dayIn, startOfDay } from "../dashboard-filters";
import { translator, type Locale, type MessageKey } from "../i18n";
import { reportBreakdowns, type ReportBreakdown } from "./breakdowns";
import { infoLines, localStamp, unitLabel, type Cell, type ExportFile, type ExportWindow } from "./table";

/**
 * The report builder: metrics × one breakdown over a range. Each breakdown key is the same metric with the
 * matching filter (agent, team, channel, territory) or the day's slice of the range, so every cell equals what
 * the dashboard shows with that filter. A "Total" row is the unsplit query.
 */
export { reportBreakdowns, type ReportBreakdown };
export type ReportSpec = { metricIds: string[]; breakdown: ReportBreakdown };
export type Named = { id: string; name: string };
export type ReportDims = { agents: Named[]; teams: Named[]; channels: Named[] };
export type ReportRow = { key: string | null; label: string; values: Array<number | null> };
export type ReportTable = { spec: ReportSpec; rows: ReportRow[] };

/** One number per cell: scalar metrics over a range (the live "now" ones read an instant, not a range). */
export const reportableMetrics: readonly MetricDefinition[] = metricCatalog.filter((m) =>
  m.kind === "scalar" && m.status === "implemented" && !m.id.endsWith("_now") && !m.id.includes("last_hour"));
const reportable = new Set(reportableMetrics.map((m) => m.id));
export const isReportable = (id: string) => reportable.has(id);

/**
 * Cells one report may compute a row at a time (keys × metrics, a statement per key; by agent, the metrics read once for
 * every agent count once): beyond this, narrow the range or the metrics.
 */
export const MAX_REPORT_CELLS = 1200;
export class ReportTooLarge extends Error {
  readonly code = "report_too_large" as const;
}

/** Local days of the range in its zone, each clipped to the range: the day breakdown's keys. */
export function daysOf(from: Date, to: Date, timeZone: string): Array<{ day: string; from: Date; to: Date }> {
  const out: Array<{ day: string; from: Date; to: Date }> = [];
  const last = dayIn(new Date(to.getTime() - 1), timeZone);
  for (let day = dayIn(from, timeZone); day <= last && out.length < 400; day = addDays(day, 1)) {
    const start = startOfDay(day, timeZone);
    const end = startOfDay(addDays(day, 1), timeZone);
    out.push({ day, from: start < from ? from : start, to: end > to ? to : end });
  }
  return out;
}

/** The query of one breakdown key: the base query with that filter (or that day's slice). */
export function keyQuery(base: MetricQuery, breakdown: ReportBreakdown, key: string, timeZone = base.timeZone): MetricQuery {
  const filters = { ...base.filters };
  if (breakdown === "agent") filters.agentId = key;
  else if (breakdown === "team") filters.teamId = key;
  else if (breakdown === "channel") filters.channelId = key;
  else if (breakdown === "territory") filters.territory = key;
  else if (breakdown === "day") {
    const slice = daysOf(base.from, base.to, timeZone).find((d) => d.day === key);
    return { ...base, from: slice?.from ?? base.from, to: slice?.to ?? base.from };
  }
  return { ...base, filters };
}

/** Rows of the table before any number: which keys, with labels. Territories come from the data (see runReport). */
export function staticKeys(base: MetricQuery, breakdown: ReportBreakdown, dims: ReportDims): Array<{ key: string; label: string }> | null {
  if (breakdown === "agent") return dims.agents.map((a) => ({ key: a.id, label: a.name }));
  if (breakdown === "team") return dims.teams.map((t) => ({ key: t.id, label: t.name }));
  if (breakdown === "channel") return dims.channels.map((c) => ({ key: c.id, label: c.name }));
  if (breakdown === "day") return daysOf(base.from, base.to, base.timeZone).map((d) => ({ key: d.day, label: d.day }));
  if (breakdown === "none") return [];
  return null;
}

const lang = (locale: Locale) => (locale === "en" ? "en" : "es");

/** The table as a file: one column per metric (name and unit in the header), raw numbers in the cells. */
export function reportExport(args: {
  table: ReportTable; title: string; window: ExportWindow; filters: Array<[string, string]>; locale: Locale; baseName?: string; now?: Date;
}): ExportFile {
  const t = translator(args.locale);
  const { spec } = args.table;
  const columns = [t(`reports.breakdown.${spec.breakdown}` as MessageKey), ...spec.metricIds.map((id) => {
    const metric = metricsById.get(id);
    return metric ? `${metric.name[lang(args.locale)]} (${unitLabel(metric.unit, args.locale)})` : id;
  })];
  const rows: Cell[][] = args.table.rows.map((r) => [r.label, ...r.values]);
  return {
    baseName: args.baseName ?? `report_${spec.breakdown}_${localStamp(args.window.from, args.window.timeZone).slice(0, 10)}`,
    data: { name: t("reports.info.data"), columns, rows },
    infoName: t("reports.info.sheet"),
    info: infoLines(args.title, args.window, args.filters, args.locale, args.now ?? new Date()),
  };
}
