import { Form, Link, useLocation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { filterSearch, type InboxFilterState } from "../lib/inbox-filters";
import type { InboxCounts, InboxView } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

type Option = { id: string; name: string };
type Props = { filters: InboxFilterState; counts: InboxCounts; teams: Option[]; channels: (Option & { displayPhone: string })[]; hasTeams: boolean };

function ViewTabs({ filters, counts, hasTeams }: Pick<Props, "filters" | "counts" | "hasTeams">) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const views: InboxView[] = hasTeams ? ["mine", "unassigned", "team", "all"] : ["mine", "unassigned", "all"];
  return (
    <nav className="flex gap-0.5 overflow-x-auto border-b border-slate-200 px-1.5 pt-2" aria-label={t("list.label")}>
      {views.map((view) => {
        const active = filters.view === view;
        return (
          <Link key={view} to={`${pathname}${filterSearch({ ...filters, cursor: undefined }, { view })}`} data-testid={`view-${view}`}
            aria-current={active ? "page" : undefined}
            className={`flex shrink-0 items-center gap-1 rounded-t-lg border-b-2 px-2 py-2 text-sm ${active ? "border-wa-brand font-semibold text-wa-dark" : "border-transparent text-slate-600 hover:text-slate-900"}`}>
            {t(`views.${view}`)}
            <span className={`rounded-full px-1.5 text-xs ${active ? "bg-wa-brand text-white" : "bg-slate-200 text-slate-700"}`}>{counts[view]}</span>
          </Link>
        );
      })}
    </nav>
  );
}

function SearchBox({ filters }: { filters: InboxFilterState }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const submit = useSubmit();
  useEffect(() => {
    if (input.current) input.current.value = filters.q ?? "";
  }, [filters.q]);
  return (
    <input ref={input} type="search" name="q" defaultValue={filters.q ?? ""} placeholder={t("filters.search")} data-search
      onChange={(e) => submit(e.currentTarget.form, { replace: true, preventScrollReset: true })}
      className="w-full rounded-lg border-0 bg-slate-100 px-3 py-2 text-sm placeholder:text-slate-500 focus:bg-white focus:ring-2 focus:ring-wa-brand/40" />
  );
}

const selectClass = "w-full rounded-md border border-slate-300 px-2 bg-white py-1.5 text-sm";

export function InboxSidebar({ filters, counts, teams, channels, hasTeams }: Props) {
  const { t } = useI18n();
  const filtered = Boolean(filters.status || filters.teamId || filters.channelId || filters.tag);
  return (
    <div className="shrink-0">
      <ViewTabs filters={filters} counts={counts} hasTeams={hasTeams} />
      <Form method="get" action="/inbox" className="space-y-2 p-2" role="search">
        <input type="hidden" name="view" value={filters.view} />
        <SearchBox filters={filters} />
        <details className="text-sm" open={filtered}>
          <summary className="cursor-pointer select-none px-1 text-slate-600">{t("filters.title")}{filtered ? " •" : ""}</summary>
          <div className="mt-2 grid grid-cols-2 gap-2">
            <select name="status" defaultValue={filters.status ?? ""} aria-label={t("filters.status")} className={selectClass}>
              <option value="">{t("filters.activeStatuses")}</option>
              {(["open", "pending", "resolved"] as const).map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
            </select>
            <select name="teamId" defaultValue={filters.teamId ?? ""} aria-label={t("filters.team")} className={selectClass}>
              <option value="">{t("filters.anyTeam")}</option>
              {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
            </select>
            <select name="channelId" defaultValue={filters.channelId ?? ""} aria-label={t("filters.channel")} className={selectClass}>
              <option value="">{t("filters.anyChannel")}</option>
              {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
            <input name="tag" defaultValue={filters.tag ?? ""} placeholder={t("filters.tag")} className="rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
            <button type="submit" className="rounded-md bg-wa-brand px-3 py-1.5 text-sm font-medium text-white">{t("filters.apply")}</button>
            <Link to={`/inbox?view=${filters.view}`} className="rounded-md px-3 py-1.5 text-center text-sm text-slate-600 hover:bg-slate-100">{t("filters.clear")}</Link>
          </div>
        </details>
      </Form>
    </div>
  );
}
