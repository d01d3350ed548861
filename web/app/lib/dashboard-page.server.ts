import { json, type AppLoadContext } from "@remix-run/node";
import { FilterError, parseDashboardFilters, type DashboardFilters } from "./dashboard-filters";
import { filterOptions, loadDashboard, loadViewer, toDashboardView } from "./dashboards.server";
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

/**
 * Everything a board page shows: the panels in the viewer's language and the filter choices. With `focusAgentId`
 * it is one agent's page (their row of each per-agent metric).
 */
export async function loadBoardPage(request: Request, context: AppLoadContext, signedIn: SignedIn, dashboardId: string, filters: DashboardFilters, focusAgentId?: string) {
  const viewer = await loadViewer(request, context, signedIn);
  const data = await loadDashboard(request, context, signedIn, dashboardId, filters, { viewer });
  return {
    view: toDashboardView(data, signedIn.locale, focusAgentId),
    filters,
    updatedAt: new Date().toISOString(),
    options: filterOptions(viewer, filters),
  };
}
