import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { AppNav } from "../components/AppNav";
import { PageError } from "../components/PageError";
import { BuilderForm } from "../components/reports/BuilderForm";
import { FilesPanel } from "../components/reports/FilesPanel";
import { ReportTableView } from "../components/reports/ReportTableView";
import { SchedulesPanel } from "../components/reports/SchedulesPanel";
import { filtersToSearch } from "../lib/dashboard-filters";
import { loadReportsPage, reportsAction } from "../lib/reports.server";
import { useI18n } from "../lib/use-i18n";

export const meta: MetaFunction = () => [{ title: "Reportes · Centralita" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return json(await loadReportsPage(request, context), { headers: { "Cache-Control": "private, no-store" } });
}

export const action = ({ request, context }: ActionFunctionArgs) => reportsAction(request, context);

/** Builder (metrics × breakdown × range, exportable), per-conversation export, schedules and their files. */
export default function Reports() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const { search } = useLocation();
  const filtersSearch = filtersToSearch(data.filters);
  return (
    <div className="flex h-full flex-col bg-slate-50">
      <AppNav />
      <main className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex max-w-6xl flex-col gap-6 p-3 sm:p-4">
          <h1 className="text-lg font-semibold text-slate-900" data-testid="reports-title">{t("reports.title")}</h1>
          <section className="flex flex-col gap-2">
            <h2 className="text-base font-semibold text-slate-900">{t("reports.builder.title")}</h2>
            <p className="text-xs text-slate-500">{t("reports.builder.hint")}</p>
            <BuilderForm filters={data.filters} spec={data.spec} options={data.options} metrics={data.metrics} />
            {data.built ? <ReportTableView table={data.built.table} metrics={data.metrics} exportSearch={search} />
              : <p className="text-sm text-slate-500" data-testid="builder-empty">{t("reports.builder.empty")}</p>}
          </section>
          <section className="flex flex-col gap-1" data-testid="conversations-export">
            <h2 className="text-base font-semibold text-slate-900">{t("reports.conversations.title")}</h2>
            <p className="text-xs text-slate-500">{t("reports.conversations.hint")}</p>
            <div className="flex gap-3 text-sm">
              <a href={`/reports/conversations.csv${filtersSearch}`} className="text-wa-brand hover:underline" data-testid="conversations-csv" download>CSV</a>
              <a href={`/reports/conversations.xlsx${filtersSearch}`} className="text-wa-brand hover:underline" data-testid="conversations-xlsx" download>XLSX</a>
            </div>
          </section>
          <SchedulesPanel schedules={data.schedules} spec={data.spec} timeZone={data.options.timeZone} teamId={data.filters.teamId} metricNames={data.metricNames} />
          <FilesPanel files={data.files} />
        </div>
      </main>
    </div>
  );
}

export function ErrorBoundary() {
  return <PageError testId="reports-error" forbidden="reports.error.forbidden" unavailable="reports.error.unavailable" />;
}
