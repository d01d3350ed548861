import { json, type AppLoadContext } from "@remix-run/node";
import { runMetric } from "@centralita/analytics";
import { FilterError, parseDashboardFilters, type DashboardFilters } from "./dashboard-filters";
import { loadDashboard, loadViewer, requireAnalytics, toDashboardView, viewerZone, type Viewer } from "./dashboards.server";
import type { SignedIn } from "./guard.server";

/** Bad filters in a shared link get a 400 that says which field, not a crash. */
export function filtersFromUrl(request: Request): DashboardFilters {
  try {
    return parseDashboardFilters(new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof FilterError) throw json({ code: error.code, message: error.message }, { status: 400 });
    throw error;
  }
}

const NINETY_DAYS = 90 * 86_400_000;

/** Territories that had conversations lately: the territory filter offers what the data knows. */
async function recentTerritories(context: AppLoadContext, viewer: Viewer): Promise<string[]> {
  const to = new Date();
  const result = await runMetric(requireAnalytics(context), "territory_volume", {
    tenantId: viewer.me.tenantId, from: new Date(to.getTime() - NINETY_DAYS), to, timeZone: "UTC", filters: { teamIds: viewer.teamScope },
  });
  return result.rows.map((r) => r.key ?? "").filter(Boolean).sort();
}

/**
 * Everything a board page shows: the panels in the viewer's language and the filter choices. With `focusAgentId`
 * it is one agent's page (their row of each per-agent metric).
 */
export async function loadBoardPage(request: Request, context: AppLoadContext, signedIn: SignedIn, dashboardId: string, filters: DashboardFilters, focusAgentId?: string) {
  const viewer = await loadViewer(request, context, signedIn);
  const data = await loadDashboard(request, context, signedIn, dashboardId, filters, viewer);
  const territories = await recentTerritories(context, viewer);
  return {
    view: toDashboardView(data, signedIn.locale, focusAgentId),
    filters,
    updatedAt: new Date().toISOString(),
    options: {
      teams: viewer.teams.map(({ id, name }) => ({ id, name })), agents: viewer.agents, channels: viewer.channels, territories,
      timeZone: viewerZone(viewer, filters),
    },
  };
}
