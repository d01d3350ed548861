import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { rangePresets, type DashboardFilters } from "../../lib/dashboard-filters";
import { useI18n } from "../../lib/use-i18n";
import type { MessageKey } from "../../lib/i18n";

export type FilterOptions = {
  teams: Array<{ id: string; name: string }>;
  agents: Array<{ id: string; name: string }>;
  channels: Array<{ id: string; name: string }>;
  territories: string[];
  timeZone: string;
};

/** LATAM zones first: where our customers' teams work. */
export const timeZones = [
  "America/Mexico_City", "America/Monterrey", "America/Merida", "America/Tijuana", "America/Bogota", "America/Lima",
  "America/Santiago", "America/Argentina/Buenos_Aires", "America/Sao_Paulo", "America/Caracas", "America/Guatemala",
  "America/Panama", "America/New_York", "Europe/Madrid", "UTC",
];

const field = "h-9 rounded-md border border-slate-300 bg-white px-2 text-sm text-slate-800 focus:border-wa-brand focus:outline-none focus:ring-1 focus:ring-wa-brand";

function Select({ name, label, value, options, allLabel }: { name: string; label: string; value?: string; options: Array<{ id: string; name: string }>; allLabel?: string }) {
  return (
    <label className="flex min-w-0 flex-col gap-0.5 text-xs text-slate-500">
      {label}
      <select name={name} defaultValue={value ?? ""} className={field} data-filter={name}>
        {allLabel !== undefined && <option value="">{allLabel}</option>}
        {options.map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
      </select>
    </label>
  );
}

/** Global filters kept in the URL (a view can be shared); any change applies at once. */
export function FilterBar({ filters, options, hide = [], keep }: {
  filters: DashboardFilters; options: FilterOptions; hide?: Array<keyof DashboardFilters>;
  /** Other URL fields the page needs kept when the filters change. */
  keep?: Record<string, string>;
}) {
  const { t } = useI18n();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [range, setRange] = useState(filters.range);
  const [open, setOpen] = useState(false);
  const activeCount = [filters.teamId, filters.agentId, filters.channelId, filters.territory].filter(Boolean).length;
  const zones = timeZones.includes(options.timeZone) ? timeZones : [options.timeZone, ...timeZones];
  return (
    <Form method="get" replace preventScrollReset className="border-b border-slate-200 bg-white px-3 py-2 sm:px-4" data-testid="filters"
      onChange={(e) => {
        if ((e.target as HTMLElement).getAttribute("name") === "range") setRange((e.target as HTMLSelectElement).value as DashboardFilters["range"]);
        if ((e.target as HTMLInputElement).type !== "date") submit(e.currentTarget, { replace: true, preventScrollReset: true });
      }}>
      {Object.entries(keep ?? {}).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <button type="button" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="toggle-filters"
        className="flex w-full items-center justify-between rounded-md py-1 text-sm font-medium text-slate-700 sm:hidden">
        <span>{t("dash.filters")}: {t(`dash.range.${range}` as MessageKey)}{activeCount ? ` · ${activeCount}` : ""}</span>
        <span aria-hidden>{open ? "▴" : "▾"}</span>
      </button>
      <div className={`${open ? "flex" : "hidden"} flex-wrap items-end gap-2 pt-1 sm:flex sm:pt-0`}>
      <Select name="range" label={t("dash.range")} value={range} options={rangePresets.map((r) => ({ id: r, name: t(`dash.range.${r}` as MessageKey) }))} />
      {range === "custom" && (
        <>
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("dash.from")}<input type="date" name="from" defaultValue={filters.from} className={field} required /></label>
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("dash.to")}<input type="date" name="to" defaultValue={filters.to} className={field} required /></label>
        </>
      )}
      {!hide.includes("teamId") && <Select name="teamId" label={t("dash.team")} value={filters.teamId} options={options.teams} allLabel={t("dash.all")} />}
      {!hide.includes("agentId") && <Select name="agentId" label={t("dash.agent")} value={filters.agentId} options={options.agents} allLabel={t("dash.all")} />}
      <Select name="channelId" label={t("dash.channel")} value={filters.channelId} options={options.channels} allLabel={t("dash.all")} />
      <Select name="territory" label={t("dash.territory")} value={filters.territory} options={options.territories.map((x) => ({ id: x, name: x }))} allLabel={t("dash.all")} />
      <Select name="tz" label={t("dash.timeZone")} value={filters.tz ?? options.timeZone} options={zones.map((z) => ({ id: z, name: z.replace("America/", "").replace(/_/g, " ") }))} />
      <button type="submit" className="h-9 rounded-md bg-wa-brand px-3 text-sm font-medium text-white hover:bg-wa-dark" data-testid="apply-filters">{t("dash.apply")}</button>
      {navigation.state === "loading" && <span className="pb-2 text-xs text-slate-500" role="status" data-testid="dash-loading">{t("dash.loading")}</span>}
      </div>
    </Form>
  );
}
