import { metricsById, type Breakdown, type ConversationFact, type PanelResult, type Unit } from "@centralita/analytics";
import { translator, type Locale, type MessageKey } from "../i18n";

/**
 * Export tables: what a CSV or XLSX file holds, built from the same results the screen draws. Values stay raw
 * numbers (seconds, shares 0–1, money) so a spreadsheet can compute with them; names replace ids where known.
 */
export type Cell = string | number | null;
export type Sheet = { name: string; columns: string[]; rows: Cell[][] };
/** A file: the data sheet first, then (XLSX only) a sheet saying what it covers. */
export type ExportFile = { baseName: string; data: Sheet; infoName: string; info: Array<[string, string]> };

export type Names = { agents: Record<string, string>; teams: Record<string, string>; channels?: Record<string, string> };
export type ExportWindow = { from: string; to: string; timeZone: string };

const lang = (locale: Locale) => (locale === "en" ? "en" : "es");
export const unitLabel = (unit: Unit, locale: Locale) => translator(locale)(`reports.unit.${unit}` as MessageKey);

/** A key as a person reads it: agent and team ids become names; other keys (currency, reason, hour) stay. */
export function keyLabel(breakdown: Breakdown, key: string | undefined, names: Names): string {
  if (key === undefined) return "";
  if (breakdown === "agent" || breakdown === "pair") return names.agents[key] ?? key;
  if (breakdown === "team") return names.teams[key] ?? key;
  return key;
}

/** One row per (panel, key or bucket, series), in the panel order of the dashboard; pending panels are left out. */
export function dashboardRows(panels: PanelResult[], names: Names, locale: Locale): Cell[][] {
  const rows: Cell[][] = [];
  for (const panel of panels) {
    if (!panel.result) continue;
    const metric = metricsById.get(panel.metricId);
    const name = metric?.name[lang(locale)] ?? panel.metricId;
    for (const r of panel.result.rows) {
      const series = panel.breakdown === "pair" ? keyLabel("agent", r.series, names) : r.series ?? "";
      rows.push([panel.metricId, name, keyLabel(panel.breakdown, r.key, names), r.bucket ?? "", series, r.value, unitLabel(panel.result.unit, locale)]);
    }
  }
  return rows;
}

const dashboardColumns = (locale: Locale) => {
  const t = translator(locale);
  return ["metricId", "metric", "breakdown", "bucket", "series", "value", "unit"].map((c) => t(`reports.col.${c}` as MessageKey));
};

/** An instant as the zone's wall clock, "2026-03-01 00:00" (Swedish dates are ISO-shaped). */
export function localStamp(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at);
}

/** The header lines of the info sheet: what was asked for, in which zone, when. */
export function infoLines(title: string, window: ExportWindow, filters: Array<[string, string]>, locale: Locale, generatedAt: Date): Array<[string, string]> {
  const t = translator(locale);
  return [
    [t("reports.info.report"), title], [t("reports.info.from"), localStamp(window.from, window.timeZone)], [t("reports.info.to"), localStamp(window.to, window.timeZone)],
    [t("reports.info.timeZone"), window.timeZone], ...filters, [t("reports.info.generatedAt"), generatedAt.toISOString()],
  ];
}

export function dashboardExport(args: {
  dashboardId: string; title: string; panels: PanelResult[]; names: Names; window: ExportWindow; filters: Array<[string, string]>; locale: Locale; now?: Date;
}): ExportFile {
  const t = translator(args.locale);
  return {
    baseName: `${args.dashboardId}_${localStamp(args.window.from, args.window.timeZone).slice(0, 10)}`,
    data: { name: t("reports.info.data"), columns: dashboardColumns(args.locale), rows: dashboardRows(args.panels, args.names, args.locale) },
    infoName: t("reports.info.sheet"),
    info: infoLines(args.title, args.window, args.filters, args.locale, args.now ?? new Date()),
  };
}

const factColumns = [
  "conversation", "cycle", "openedAt", "resolvedAt", "team", "agents", "resolvedBy", "territory", "channel", "frt", "resolution",
  "transfers", "outcome", "dealValue", "currency", "lossReason", "csat", "tags",
] as const;

/** The per-conversation export: one row per cycle, names for ids, times already in the zone. */
export function conversationRows(facts: ConversationFact[], names: Names): Cell[][] {
  const agent = (id: string | null) => (id ? names.agents[id] ?? id : "");
  return facts.map((f) => [
    f.conversationId, f.cycle, f.openedAt, f.resolvedAt ?? "", f.teamId ? names.teams[f.teamId] ?? f.teamId : "", f.agentIds.map(agent).join(" → "),
    agent(f.resolvedByAgentId), f.territory ?? "", f.channelId ? names.channels?.[f.channelId] ?? f.channelId : "", f.firstResponseSeconds,
    f.resolutionSeconds, f.transfers, f.outcome ?? "", f.dealValue, f.currency ?? "", f.lossReason ?? "", f.csat, f.tags.join(", "),
  ]);
}

export function conversationsExport(args: { facts: ConversationFact[]; names: Names; window: ExportWindow; filters: Array<[string, string]>; locale: Locale; now?: Date }): ExportFile {
  const t = translator(args.locale);
  return {
    baseName: `conversations_${localStamp(args.window.from, args.window.timeZone).slice(0, 10)}`,
    data: { name: t("reports.info.data"), columns: factColumns.map((c) => t(`reports.col.${c}`)), rows: conversationRows(args.facts, args.names) },
    infoName: t("reports.info.sheet"),
    info: infoLines(t("reports.conversations.title"), args.window, args.filters, args.locale, args.now ?? new Date()),
  };
}
