import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AppNav } from "../components/AppNav";
import { PageError } from "../components/PageError";
import { DashboardBody, useAutoRefresh } from "../components/dashboards/DashboardBody";
import { FilterBar } from "../components/dashboards/FilterBar";
import { filtersFromUrl, loadBoardPage } from "../lib/dashboard-page.server";
import { requireAgent } from "../lib/guard.server";
import { useI18n } from "../lib/use-i18n";

export const meta: MetaFunction = () => [{ title: "Desempeño · Centralita" }];

/** One agent's numbers. Agents open only their own; supervisors and admins anyone's (within their teams' data). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  const agentId = params.id ?? "";
  if (signedIn.agent.role === "agent" && agentId !== signedIn.agent.id) throw json({ code: "forbidden", message: "Agents see their own performance only." }, { status: 403 });
  const filters = { ...filtersFromUrl(request), agentId };
  const page = await loadBoardPage(request, context, signedIn, "agent_performance", filters, agentId);
  return json({ ...page, name: page.view.labels[agentId] ?? signedIn.agent.name }, { headers: { "Cache-Control": "private, no-store" } });
}

export default function AgentPage() {
  const { view, filters, options, name } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  useAutoRefresh(60_000);
  return (
    <div className="flex h-full flex-col bg-slate-50">
      <AppNav />
      <main className="min-h-0 flex-1 overflow-y-auto">
        <FilterBar filters={filters} options={options} hide={["agentId"]} />
        <h1 className="px-3 pt-3 text-lg font-semibold text-slate-900 sm:px-4" data-testid="agent-title">{t("dash.agentTitle", { name })}</h1>
        <DashboardBody view={view} filters={filters} dashboardPath={`/agents/${filters.agentId}`} />
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  return <PageError testId="dash-error" forbidden="dash.forbidden" unavailable="dash.unavailable" />;
}
