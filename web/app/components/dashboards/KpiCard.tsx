import { Link, useLocation } from "@remix-run/react";
import { Badge, BadgeDelta, Card } from "@tremor/react";
import type { PanelView } from "../../lib/dashboard-view";
import { changeOf, formatMetric } from "../../lib/metric-format";
import { useI18n } from "../../lib/use-i18n";
import { inboxDrill } from "./labels";
import { drillable } from "../../lib/drill";

/** One number, its change against the previous period, its definition on hover, and where it comes from. */
export function KpiCard({ panel }: { panel: PanelView }) {
  const { t, locale } = useI18n();
  const value = panel.rows?.[0]?.value ?? null;
  const currency = panel.rows?.[0]?.series;
  const change = changeOf(value, panel.previous, panel.unit, panel.metricId, locale);
  const { search } = useLocation();
  const behind = drillable(panel.metricId) ? `/dashboards/conversations${search ? `${search}&` : "?"}metric=${panel.metricId}` : null;
  const drill = inboxDrill[panel.metricId] ?? behind;
  return (
    <Card className="p-3 sm:p-4" decoration="top" decorationColor="emerald" data-testid="kpi" data-metric={panel.metricId}>
      <p className="flex items-start justify-between gap-1 text-tremor-default text-tremor-content">
        <span title={panel.description} className="cursor-help underline decoration-dotted decoration-slate-300 underline-offset-4">{panel.name}</span>
      </p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-tremor-content-strong" data-testid="kpi-value" data-value={value ?? ""}>
        {panel.rows === null ? <span className="text-base font-normal text-slate-400">{t("dash.pending")}</span> : formatMetric(value, panel.unit, locale, currency)}
      </p>
      <div className="mt-1 flex min-h-6 flex-wrap items-center gap-2 text-xs text-slate-500">
        {/* No change is neutral grey: Tremor's "unchanged" delta is orange, which reads as a warning. */}
        {change && change.direction === "flat" && (
          <Badge size="xs" color="slate" data-testid="kpi-change" data-direction="flat">{change.text}</Badge>
        )}
        {change && change.direction !== "flat" && (
          <BadgeDelta size="xs" deltaType={change.direction === "up" ? "increase" : "decrease"}
            isIncreasePositive={change.good === (change.direction === "up")} data-testid="kpi-change" data-direction={change.direction}>
            {change.text}
          </BadgeDelta>
        )}
        {change && <span className="hidden sm:inline">{t("dash.vsPrevious")}</span>}
        {drill && <Link to={drill} className="text-wa-brand hover:underline" data-testid="kpi-drill">{t("dash.openInbox")}</Link>}
      </div>
    </Card>
  );
}
