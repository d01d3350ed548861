import { AreaChart, BarChart, BarList, Card, DonutChart, FunnelChart, Legend } from "@tremor/react";
import type { PanelView } from "../../lib/dashboard-view";
import { pivotSeries } from "../../lib/dashboard-view";
import { formatMetric } from "../../lib/metric-format";
import { filtersToSearch, type DashboardFilters } from "../../lib/dashboard-filters";
import { useI18n } from "../../lib/use-i18n";
import type { MessageKey } from "../../lib/i18n";
import { bucketLabel, keyLabel } from "./labels";
import { MatrixPanel } from "./MatrixPanel";
import { ClientOnly } from "./ClientOnly";

const palette = ["emerald", "sky", "amber", "rose", "violet", "slate", "teal", "orange", "indigo", "lime", "fuchsia", "cyan"];

type Props = { panel: PanelView; labels: Record<string, string>; bucket: "hour" | "day" | "week"; filters: DashboardFilters };

export function PanelCard({ panel, children }: { panel: PanelView; children: React.ReactNode }) {
  const { t } = useI18n();
  const empty = panel.rows !== null && panel.rows.every((r) => !r.value);
  return (
    <Card className="p-3 sm:p-4" data-testid="panel" data-metric={panel.metricId} data-chart={panel.chart} data-empty={empty || panel.rows === null}>
      <h3 className="text-tremor-default font-medium text-tremor-content-strong">
        <span title={panel.description} className="cursor-help underline decoration-dotted decoration-slate-300 underline-offset-4">{panel.name}</span>
      </h3>
      {panel.rows === null ? <p className="py-8 text-center text-sm text-slate-400">{t("dash.pending")}</p>
        : empty ? <p className="py-8 text-center text-sm text-slate-400" data-testid="panel-empty">{t("dash.noData")}</p>
        : children}
    </Card>
  );
}

function SeriesChart({ panel, bucket }: Props) {
  const { t, locale } = useI18n();
  const minute = panel.metricId.includes("per_minute");
  const { data, series } = pivotSeries(panel.rows ?? [], panel.name);
  const named = (s: string) => (s === "inbound" || s === "outbound" ? t(`dash.series.${s}` as MessageKey) : s);
  const chartData = data.map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k === "bucket" ? "bucket" : named(k), k === "bucket" ? bucketLabel(String(v), minute ? "minute" : bucket, locale) : v])));
  const categories = series.map(named);
  return (
    <AreaChart className="mt-2 h-56" data={chartData} index="bucket" categories={categories} colors={palette.slice(0, categories.length)}
      valueFormatter={(v: number) => formatMetric(v, panel.unit, locale)} showLegend={categories.length > 1} yAxisWidth={56} curveType="monotone" showAnimation={false} />
  );
}

function BreakdownChart({ panel, labels, filters }: Props) {
  const { t, locale } = useI18n();
  const rows = (panel.rows ?? []).filter((r) => r.value !== null);
  const ordered = panel.breakdown === "hour_of_day" || panel.breakdown === "score";
  if (ordered) {
    const data = rows.map((r) => ({ key: keyLabel(panel.breakdown, r.key, labels, t), [panel.name]: r.value ?? 0 }));
    return <BarChart className="mt-2 h-56" data={data} index="key" categories={[panel.name]} colors={["emerald"]} showLegend={false}
      valueFormatter={(v: number) => formatMetric(v, panel.unit, locale)} yAxisWidth={56} showAnimation={false} />;
  }
  const search = filtersToSearch({ ...filters, agentId: undefined });
  const data = rows.map((r) => ({
    name: keyLabel(panel.breakdown, r.key, labels, t), value: r.value ?? 0,
    href: panel.breakdown === "agent" && r.key ? `/agents/${r.key}${search}` : undefined,
  })).sort((a, b) => b.value - a.value);
  return <BarList className="mt-3" data={data} color="emerald" valueFormatter={(v: number) => formatMetric(v, panel.unit, locale)} />;
}

function DonutPanel({ panel, labels }: Props) {
  const { t, locale } = useI18n();
  const data = (panel.rows ?? []).map((r) => ({ name: keyLabel(panel.breakdown, r.key, labels, t), value: r.value ?? 0 }));
  return (
    <div className="mt-2 flex flex-col items-center gap-3 sm:flex-row">
      <DonutChart className="h-44" data={data} category="value" index="name" colors={palette.slice(0, data.length)}
        valueFormatter={(v: number) => formatMetric(v, panel.unit, locale)} showAnimation={false} />
      <Legend categories={data.map((d) => `${d.name} · ${formatMetric(d.value, panel.unit, locale)}`)} colors={palette.slice(0, data.length)} />
    </div>
  );
}

function FunnelPanel({ panel, labels }: Props) {
  const { t, locale } = useI18n();
  const data = (panel.rows ?? []).map((r) => ({ name: keyLabel("stage", r.key, labels, t), value: r.value ?? 0 }));
  return <FunnelChart className="mt-2 h-56" data={data} color="emerald" evolutionGradient valueFormatter={(v: number) => formatMetric(v, panel.unit, locale)} showArrow={false} />;
}

/** Any non-card panel, drawn by its chart kind. */
export function ChartPanel(props: Props) {
  const { panel } = props;
  const body = panel.chart === "line" ? <ClientOnly>{() => <SeriesChart {...props} />}</ClientOnly>
    : panel.chart === "donut" ? <ClientOnly height="h-44">{() => <DonutPanel {...props} />}</ClientOnly>
    : panel.chart === "funnel" ? <ClientOnly>{() => <FunnelPanel {...props} />}</ClientOnly>
    : panel.chart === "heatmap" ? <MatrixPanel {...props} />
    : <ClientOnly>{() => <BreakdownChart {...props} />}</ClientOnly>;
  return <PanelCard panel={panel}>{body}</PanelCard>;
}
