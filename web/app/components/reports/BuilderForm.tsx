import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { rangePresets, type DashboardFilters } from "../../lib/dashboard-filters";
import { reportBreakdowns } from "../../lib/exports/breakdowns";
import type { ReportSpec } from "../../lib/exports/report";
import type { MessageKey } from "../../lib/i18n";
import { useI18n } from "../../lib/use-i18n";
import { timeZones } from "../dashboards/FilterBar";

export type BuilderOptions = {
  teams: Array<{ id: string; name: string }>; agents: Array<{ id: string; name: string }>; channels: Array<{ id: string; name: string }>; timeZone: string;
};
type MetricChoice = { id: string; name: string };

export const field = "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 focus:border-wa-brand focus:outline-none focus:ring-1 focus:ring-wa-brand";
const label = "flex min-w-0 flex-col gap-0.5 text-xs text-slate-500";

function Pick({ name, text, value, options, all }: { name: string; text: string; value?: string; options: Array<{ id: string; name: string }>; all?: string }) {
  return (
    <label className={label}>{text}
      <select name={name} defaultValue={value ?? ""} className={field} data-testid={`builder-${name}`}>
        {all !== undefined && <option value="">{all}</option>}
        {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </label>
  );
}

/** Metrics × breakdown × range (and the dashboards' filters), submitted as a GET so a table can be shared. */
export function BuilderForm({ filters, spec, options, metrics }: { filters: DashboardFilters; spec: ReportSpec | null; options: BuilderOptions; metrics: MetricChoice[] }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const [range, setRange] = useState(filters.range);
  const chosen = new Set(spec?.metricIds ?? []);
  const zones = timeZones.includes(options.timeZone) ? timeZones : [options.timeZone, ...timeZones];
  return (
    <Form method="get" className="flex flex-col gap-3" data-testid="report-builder">
      <div className="flex flex-wrap items-end gap-2">
        <label className={label}>{t("dash.range")}
          <select name="range" value={range} onChange={(e) => setRange(e.target.value as DashboardFilters["range"])} className={field} data-testid="builder-range">
            {rangePresets.map((r) => <option key={r} value={r}>{t(`dash.range.${r}` as MessageKey)}</option>)}
          </select>
        </label>
        {range === "custom" && (
          <>
            <label className={label}>{t("dash.from")}<input type="date" name="from" defaultValue={filters.from} className={field} required /></label>
            <label className={label}>{t("dash.to")}<input type="date" name="to" defaultValue={filters.to} className={field} required /></label>
          </>
        )}
        <Pick name="breakdown" text={t("reports.builder.breakdown")} value={spec?.breakdown ?? "none"} options={reportBreakdowns.map((b) => ({ id: b, name: t(`reports.breakdown.${b}` as MessageKey) }))} />
        <Pick name="teamId" text={t("dash.team")} value={filters.teamId} options={options.teams} all={t("dash.all")} />
        <Pick name="agentId" text={t("dash.agent")} value={filters.agentId} options={options.agents} all={t("dash.all")} />
        <Pick name="channelId" text={t("dash.channel")} value={filters.channelId} options={options.channels} all={t("dash.all")} />
        <Pick name="tz" text={t("dash.timeZone")} value={filters.tz ?? options.timeZone} options={zones.map((z) => ({ id: z, name: z.replace("America/", "").replace(/_/g, " ") }))} />
      </div>
      <fieldset className="rounded-md border border-slate-200 bg-white p-2">
        <legend className="px-1 text-xs text-slate-500">{t("reports.builder.metrics")}</legend>
        <div className="grid max-h-56 grid-cols-1 gap-x-4 gap-y-0.5 overflow-y-auto text-sm sm:grid-cols-2 lg:grid-cols-3">
          {metrics.map((m) => (
            <label key={m.id} className="flex items-center gap-2 py-0.5 text-slate-700">
              <input type="checkbox" name="metrics" value={m.id} defaultChecked={chosen.has(m.id)} data-testid="builder-metric" />{m.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <button type="submit" className="h-9 rounded-md bg-wa-brand px-4 text-sm font-medium text-white hover:bg-wa-dark" data-testid="builder-run">{t("reports.builder.run")}</button>
        {navigation.state === "loading" && <span className="text-xs text-slate-500" role="status">{t("dash.loading")}</span>}
      </div>
    </Form>
  );
}
