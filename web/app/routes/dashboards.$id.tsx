import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { DashboardBody, useAutoRefresh } from "../components/dashboards/DashboardBody";
import { FilterBar } from "../components/dashboards/FilterBar";
import { filtersFromUrl, loadBoardPage } from "../lib/dashboard-page.server";
import { requireSupervisor } from "../lib/dashboards.server";
import { requireAgent } from "../lib/guard.server";
import { formatDateTime, formatTime } from "../lib/i18n";
import { useI18n } from "../lib/use-i18n";

const LIVE_REFRESH_MS = 5_000;
const RANGE_REFRESH_MS = 60_000;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  requireSupervisor(signedIn);
  const filters = filtersFromUrl(request);
  return json(await loadBoardPage(request, context, signedIn, params.id ?? "", filters), { headers: { "Cache-Control": "private, no-store" } });
}

export default function DashboardPage() {
  const { view, filters, options, updatedAt } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const { search } = useLocation();
  const live = view.refresh === "live";
  useAutoRefresh(live ? LIVE_REFRESH_MS : RANGE_REFRESH_MS);
  return (
    <>
      <FilterBar filters={filters} options={options} />
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 pt-3 text-xs text-slate-500 sm:px-4">
        <h1 className="text-lg font-semibold text-slate-900" data-testid="dashboard-title">{view.title}</h1>
        <span>{live ? t("dash.live", { seconds: LIVE_REFRESH_MS / 1000 }) : t("dash.window", {
          from: formatDateTime(view.window.from, locale, view.window.timeZone), to: formatDateTime(view.window.to, locale, view.window.timeZone), zone: view.window.timeZone,
        })}</span>
        <span data-testid="updated-at">{t("dash.updatedAt", { time: formatTime(updatedAt, locale) })}</span>
        <span className="ml-auto flex gap-2">
          {t("dash.export")}:
          <a href={`/dashboards/${view.id}/export.csv${search}`} className="text-wa-brand hover:underline" data-testid="export-csv" download>CSV</a>
          <a href={`/dashboards/${view.id}/export.xlsx${search}`} className="text-wa-brand hover:underline" data-testid="export-xlsx" download>XLSX</a>
        </span>
      </div>
      <DashboardBody view={view} filters={filters} dashboardPath={`/dashboards/${view.id}`} />
    </>
  );
}
