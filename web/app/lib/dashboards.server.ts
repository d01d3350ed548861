import { json, type AppLoadContext } from "@remix-run/node";
import type { ClickHouseClient } from "@clickhouse/client";
import {
  dashboards, metricsById, runDashboard, DEFAULT_FIRST_RESPONSE_TARGET_SECONDS,
  type DashboardDefinition, type MetricQuery, type MetricRow, type PanelResult, type TeamSchedule,
} from "@centralita/analytics";
import { analyticsConcurrency, analyticsStore } from "./config.server";
import type { DashboardView, PanelView } from "./dashboard-view";
import type { Locale } from "./i18n";
import { resolveWindow, type Bucket, type DashboardFilters } from "./dashboard-filters";
import { guardRouter, type SignedIn } from "./guard.server";
import type { Me } from "./router-types";

/** The router's team as dashboards need it: names for labels, schedules for business hours, the SLA target. */
type TeamRecord = TeamSchedule & { id: string; name: string; firstResponseTargetSeconds: number | null };

export type Viewer = {
  me: Me;
  /** Teams this viewer may see (a supervisor's own; every team for admins; an agent's for labels only). */
  teams: TeamRecord[];
  agents: Array<{ id: string; name: string }>;
  channels: Array<{ id: string; name: string }>;
  /** Territories the routing rules name (what the territory filter offers); none for agents, who cannot read rules. */
  territories: string[];
  /** Undefined: every team. */
  teamScope?: string[];
};

export type DashboardData = {
  dashboard: DashboardDefinition;
  window: { from: string; to: string; timeZone: string; bucket: Bucket };
  panels: PanelResult[];
  /** The stat panels over the previous period, the others' results null (null for the live dashboard). */
  previous: PanelResult[] | null;
  names: { agents: Record<string, string>; teams: Record<string, string> };
};

const refuse = (status: number, code: string, message: string) => json({ code, message }, { status });

/** The ClickHouse this request reads, or a 503 a person can understand. */
export function requireAnalytics(context: AppLoadContext): ClickHouseClient {
  const store = analyticsStore(context);
  if (!store) throw refuse(503, "analytics_unavailable", "Analytics is not configured on this server (CLICKHOUSE_URL).");
  return store;
}

/** Supervisors and admins watch dashboards; agents only their own performance page. */
export function requireSupervisor(signedIn: SignedIn): void {
  if (signedIn.agent.role === "agent") throw refuse(403, "forbidden", "Dashboards are for supervisors and admins.");
}

export async function loadViewer(request: Request, context: AppLoadContext, signedIn: SignedIn): Promise<Viewer> {
  const { api } = signedIn;
  const [me, teams, agents, channels, rules] = await guardRouter(request, context, signedIn, Promise.all([
    api.me(), api.teams() as unknown as Promise<TeamRecord[]>, api.agents(), api.channels(),
    signedIn.agent.role === "agent" ? [] : api.admin.rules(),
  ]));
  const isAdmin = me.role === "admin";
  const teamScope = isAdmin ? undefined : me.teamIds ?? [];
  const visible = teamScope ? teams.filter((t) => teamScope.includes(t.id)) : teams;
  return {
    me,
    teams: visible.map((t) => ({ id: t.id, teamId: t.id, name: t.name, timeZone: t.timeZone, businessHours: t.businessHours, holidays: t.holidays ?? [], firstResponseTargetSeconds: t.firstResponseTargetSeconds ?? null })),
    agents: agents.map(({ id, name }) => ({ id, name })),
    channels: channels.map(({ id, name }) => ({ id, name: name ?? id })),
    territories: [...new Set(rules.map((r) => r.territory).filter((t): t is string => !!t))].sort(),
    teamScope,
  };
}

/** The choices a board's filter bar offers this viewer. */
export function filterOptions(viewer: Viewer, filters: DashboardFilters) {
  return {
    teams: viewer.teams.map(({ id, name }) => ({ id, name })), agents: viewer.agents, channels: viewer.channels,
    territories: viewer.territories, timeZone: viewerZone(viewer, filters),
  };
}

/** The zone a view is read in: the one in the URL, else the viewer's, else their first team's. */
export function viewerZone(viewer: Viewer, filters: DashboardFilters): string {
  return filters.tz ?? viewer.me.timeZone ?? viewer.teams[0]?.timeZone ?? "America/Mexico_City";
}

/**
 * The metric query for a view: range in the viewer's zone, the filters, and the viewer's scope. A supervisor asking
 * for a team outside their scope is refused rather than shown an empty board. Agents are pinned to themselves.
 */
export type ViewQuery = MetricQuery & { bucket: Bucket; previous: { from: Date; to: Date } };

export function metricQueryFor(viewer: Viewer, filters: DashboardFilters, now = new Date()): ViewQuery {
  const { me, teamScope } = viewer;
  if (filters.teamId && teamScope && !teamScope.includes(filters.teamId)) throw refuse(403, "team_out_of_scope", "That team is not one you supervise.");
  if (me.role === "agent" && filters.agentId !== me.id) throw refuse(403, "forbidden", "Agents see their own performance only.");
  const timeZone = viewerZone(viewer, filters);
  const window = resolveWindow(filters, timeZone, now);
  const team = viewer.teams.find((t) => t.id === filters.teamId);
  return {
    tenantId: me.tenantId, from: window.from, to: window.to, toIsNow: window.toIsNow, timeZone, bucket: window.bucket,
    previous: { from: window.previousFrom, to: window.previousTo },
    filters: {
      teamId: filters.teamId, teamIds: me.role === "agent" ? undefined : teamScope, agentId: filters.agentId,
      channelId: filters.channelId, territory: filters.territory, tag: filters.tag,
    },
    teamSchedules: viewer.teams,
    firstResponseTargetSeconds: team?.firstResponseTargetSeconds ?? DEFAULT_FIRST_RESPONSE_TARGET_SECONDS,
  };
}

export function findDashboard(id: string): DashboardDefinition {
  const dashboard = dashboards.find((d) => d.id === id);
  if (!dashboard) throw refuse(404, "unknown_dashboard", `There is no dashboard "${id}".`);
  return dashboard;
}

/**
 * The previous period's stats: the stat panels, and one agent's rows on their page, in one statement for all of them
 * (`runDashboard`'s `panels`), as the view's own panels are.
 */
async function previousStats(store: ClickHouseClient, dashboard: DashboardDefinition, query: ViewQuery, filters: DashboardFilters, concurrency: number) {
  if (dashboard.refresh === "live") return null;
  // The previous period ends in the past (yesterday at this hour): read to its instant.
  const previousQuery = { ...query, ...query.previous, toIsNow: false };
  const compared = dashboard.panels.filter((panel) => panel.chart === "stat" || (filters.agentId && panel.breakdown === "agent"));
  return runDashboard(store, dashboard.id, previousQuery, { concurrency, panels: compared.map((panel) => panel.metricId) });
}

/** Every panel of one dashboard for one view, plus the previous period's stats and the names behind the keys. */
export async function loadDashboard(
  request: Request, context: AppLoadContext, signedIn: SignedIn, dashboardId: string, filters: DashboardFilters,
  options: { viewer?: Viewer; withPrevious?: boolean } = {},
): Promise<DashboardData & { viewer: Viewer }> {
  const store = requireAnalytics(context);
  const dashboard = findDashboard(dashboardId);
  const seen = options.viewer ?? await loadViewer(request, context, signedIn);
  const now = new Date();
  const query = metricQueryFor(seen, filters, now);
  const concurrency = analyticsConcurrency(context);
  const [panels, previous] = await Promise.all([
    runDashboard(store, dashboard.id, query, { concurrency }),
    options.withPrevious === false ? null : previousStats(store, dashboard, query, filters, concurrency),
  ]);
  return {
    dashboard, panels, previous, viewer: seen,
    window: { from: query.from.toISOString(), to: query.to.toISOString(), timeZone: query.timeZone, bucket: query.bucket },
    names: {
      agents: Object.fromEntries(seen.agents.map((a) => [a.id, a.name])),
      teams: Object.fromEntries(seen.teams.map((t) => [t.id, t.name])),
    },
  };
}

/** What the page needs, in the viewer's language: no SQL, no catalog, just words and numbers. */
export function toDashboardView(data: DashboardData & { viewer: Viewer }, locale: Locale, focusAgentId?: string): DashboardView {
  const lang = locale === "en" ? "en" : "es";
  // One agent's page shows that agent's row of each per-agent metric as a card, compared with their own last period.
  const pick = (rows: MetricRow[] | undefined) => (focusAgentId ? (rows ?? []).filter((r) => r.key === focusAgentId) : rows);
  const previousOf = new Map((data.previous ?? []).map((p) => [p.metricId, pick(p.result?.rows)?.[0]?.value ?? null]));
  const panels: PanelView[] = data.panels.map((p) => {
    const metric = metricsById.get(p.metricId)!;
    const focused = focusAgentId && p.breakdown === "agent";
    return {
      metricId: p.metricId, chart: focused ? "stat" : p.chart, breakdown: focused ? "none" : p.breakdown, name: metric.name[lang],
      description: metric.description[lang], unit: metric.unit, rows: p.result ? (focused ? pick(p.result.rows)! : p.result.rows) : null,
      previous: previousOf.get(p.metricId) ?? null,
    };
  });
  const labels = { ...data.names.agents, ...data.names.teams, ...Object.fromEntries(data.viewer.channels.map((c) => [c.id, c.name])) };
  return { id: data.dashboard.id, title: data.dashboard.title[lang], refresh: data.dashboard.refresh, window: data.window, panels, labels };
}
