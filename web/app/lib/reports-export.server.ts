import { json, type AppLoadContext } from "@remix-run/node";
import { conversationFacts } from "@centralita/analytics";
import { z } from "zod";
import type { DashboardFilters } from "./dashboard-filters";
import { filtersFromUrl } from "./dashboard-page.server";
import { loadDashboard, loadViewer, metricQueryFor, requireAnalytics, requireSupervisor, type Viewer } from "./dashboards.server";
import { guardRouter, requireAgent, type SignedIn } from "./guard.server";
import { translator, type Locale } from "./i18n";
import { downloadResponse, type ExportFormat } from "./exports/download";
import { conversationsExport, dashboardExport, type Names } from "./exports/table";
import { isReportable, reportBreakdowns, reportExport, ReportTooLarge, type ReportDims, type ReportSpec, type ReportTable } from "./exports/report";
import { runReport } from "./exports/run-report.server";

const lang = (locale: Locale) => (locale === "en" ? "en" : "es");

/** The filters a file was made with, as "label: value" lines with names instead of ids. */
export function filterLines(filters: DashboardFilters, viewer: Viewer, locale: Locale): Array<[string, string]> {
  const t = translator(locale);
  const name = (list: Array<{ id: string; name: string }>, id: string) => list.find((x) => x.id === id)?.name ?? id;
  const lines: Array<[string, string]> = [];
  if (filters.teamId) lines.push([t("dash.team"), name(viewer.teams, filters.teamId)]);
  if (filters.agentId) lines.push([t("dash.agent"), name(viewer.agents, filters.agentId)]);
  if (filters.channelId) lines.push([t("dash.channel"), name(viewer.channels, filters.channelId)]);
  if (filters.territory) lines.push([t("dash.territory"), filters.territory]);
  if (filters.tag) lines.push([t("reports.col.tags"), filters.tag]);
  return lines;
}

export const namesOf = (viewer: Viewer): Names => ({
  agents: Object.fromEntries(viewer.agents.map((a) => [a.id, a.name])),
  teams: Object.fromEntries(viewer.teams.map((x) => [x.id, x.name])),
  channels: Object.fromEntries(viewer.channels.map((c) => [c.id, c.name])),
});

/** A supervisor and admin affair: agents are refused before anything is read. */
async function signedInSupervisor(request: Request, context: AppLoadContext): Promise<SignedIn> {
  const signedIn = await requireAgent(request, context);
  requireSupervisor(signedIn);
  return signedIn;
}

/** `/dashboards/:id/export.{csv,xlsx}`: the very panels the page draws, for the same query string. */
export async function exportDashboard(request: Request, context: AppLoadContext, dashboardId: string, format: ExportFormat): Promise<Response> {
  const signedIn = await signedInSupervisor(request, context);
  const filters = filtersFromUrl(request);
  // A file holds the panels, not the cards' change against the previous period: those queries are skipped.
  const data = await loadDashboard(request, context, signedIn, dashboardId, filters, { withPrevious: false });
  const file = dashboardExport({
    dashboardId, title: data.dashboard.title[lang(signedIn.locale)], panels: data.panels, names: namesOf(data.viewer), window: data.window,
    filters: filterLines(filters, data.viewer, signedIn.locale), locale: signedIn.locale,
  });
  return downloadResponse(file, format);
}

/** `/reports/conversations.{csv,xlsx}`: one row per conversation cycle started in the view's range. */
export async function exportConversations(request: Request, context: AppLoadContext, format: ExportFormat): Promise<Response> {
  const signedIn = await signedInSupervisor(request, context);
  const filters = filtersFromUrl(request);
  const store = requireAnalytics(context);
  const viewer = await loadViewer(request, context, signedIn);
  const query = metricQueryFor(viewer, filters);
  const facts = await conversationFacts(store, query);
  const window = { from: query.from.toISOString(), to: query.to.toISOString(), timeZone: query.timeZone };
  return downloadResponse(conversationsExport({ facts, names: namesOf(viewer), window, filters: filterLines(filters, viewer, signedIn.locale), locale: signedIn.locale }), format);
}

const BuilderParams = z.object({
  metrics: z.array(z.string().refine(isReportable, "not a metric the builder can compute")).min(1).max(30),
  breakdown: z.enum(reportBreakdowns).default("none"),
});

/** The builder's choice from the URL (`metrics=a&metrics=b&breakdown=agent`), or null when nothing is chosen yet. */
export function builderSpec(request: Request): ReportSpec | null {
  const params = new URL(request.url).searchParams;
  const metrics = params.getAll("metrics").filter(Boolean);
  if (metrics.length === 0) return null;
  const parsed = BuilderParams.safeParse({ metrics, breakdown: params.get("breakdown") || undefined });
  if (!parsed.success) throw json({ code: "invalid_report", message: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 400 });
  return { metricIds: parsed.data.metrics, breakdown: parsed.data.breakdown };
}

/** The keys a viewer may break down by: a supervisor's teams, and the agents of those teams. */
async function dimsFor(request: Request, context: AppLoadContext, signedIn: SignedIn, viewer: Viewer): Promise<ReportDims> {
  const agents = await guardRouter(request, context, signedIn, signedIn.api.agents());
  const scope = viewer.teamScope;
  const inScope = scope ? agents.filter((a) => a.teamIds.some((id) => scope.includes(id))) : agents;
  return { agents: inScope.map(({ id, name }) => ({ id, name })), teams: viewer.teams.map(({ id, name }) => ({ id, name })), channels: viewer.channels };
}

export type BuiltReport = { table: ReportTable; window: { from: string; to: string; timeZone: string }; filters: Array<[string, string]> };

/** Runs the builder's table for a view; too big a table is a 400 with a code, not a stuck server. */
export async function buildReport(request: Request, context: AppLoadContext, signedIn: SignedIn, viewer: Viewer, spec: ReportSpec, filters: DashboardFilters): Promise<BuiltReport> {
  const store = requireAnalytics(context);
  const query = metricQueryFor(viewer, filters);
  const dims = await dimsFor(request, context, signedIn, viewer);
  try {
    const table = await runReport(store, query, spec, dims, signedIn.locale);
    return { table, window: { from: query.from.toISOString(), to: query.to.toISOString(), timeZone: query.timeZone }, filters: filterLines(filters, viewer, signedIn.locale) };
  } catch (error) {
    if (error instanceof ReportTooLarge) throw json({ code: error.code, message: translator(signedIn.locale)("reports.builder.tooMany") }, { status: 400 });
    throw error;
  }
}

/** `/reports/table.{csv,xlsx}`: the builder's table, for the same query string as the page. */
export async function exportReport(request: Request, context: AppLoadContext, format: ExportFormat): Promise<Response> {
  const signedIn = await signedInSupervisor(request, context);
  const spec = builderSpec(request);
  if (!spec) throw json({ code: "invalid_report", message: "metrics: pick at least one" }, { status: 400 });
  const filters = filtersFromUrl(request);
  const viewer = await loadViewer(request, context, signedIn);
  const built = await buildReport(request, context, signedIn, viewer, spec, filters);
  const title = translator(signedIn.locale)("reports.builder.title");
  return downloadResponse(reportExport({ table: built.table, title, window: built.window, filters: built.filters, locale: signedIn.locale }), format);
}
