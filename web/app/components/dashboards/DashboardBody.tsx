import { useEffect } from "react";
import { useRevalidator } from "@remix-run/react";
import { groupPanels, type DashboardView } from "../../lib/dashboard-view";
import type { DashboardFilters } from "../../lib/dashboard-filters";
import { ChartPanel } from "./ChartPanel";
import { KpiCard } from "./KpiCard";
import { MetricTable } from "./MetricTable";

/** Re-reads the loader on an interval while the tab is visible: live boards in seconds, the others every minute. */
export function useAutoRefresh(everyMs: number) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, everyMs);
    return () => clearInterval(timer);
  }, [everyMs, revalidator]);
}

/** A dashboard's panels: the cards, then charts, then per-agent / per-team tables. */
export function DashboardBody({ view, filters, dashboardPath }: { view: DashboardView; filters: DashboardFilters; dashboardPath: string }) {
  const { stats, charts, tables } = groupPanels(view.panels);
  return (
    <div className="space-y-3 p-3 sm:space-y-4 sm:p-4" data-testid="dashboard" data-dashboard={view.id}>
      {stats.length > 0 && (
        <section className="grid grid-cols-2 gap-2 sm:gap-3 md:grid-cols-3 xl:grid-cols-5">
          {stats.map((p) => <KpiCard key={p.metricId} panel={p} />)}
        </section>
      )}
      {charts.length > 0 && (
        <section className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          {charts.map((p) => (
            <div key={p.metricId} className={p.chart === "heatmap" ? "lg:col-span-2" : ""}>
              <ChartPanel panel={p} labels={view.labels} bucket={view.window.bucket} filters={filters} />
            </div>
          ))}
        </section>
      )}
      {tables.map(({ breakdown, columns }) => (
        <MetricTable key={breakdown} breakdown={breakdown} columns={columns} labels={view.labels} filters={filters} dashboardPath={dashboardPath} />
      ))}
    </div>
  );
}
