import { Link } from "@remix-run/react";
import { useMemo, useState } from "react";
import { mergeTable, type PanelView } from "../../lib/dashboard-view";
import { filtersToSearch, type DashboardFilters } from "../../lib/dashboard-filters";
import { formatMetric } from "../../lib/metric-format";
import { useI18n } from "../../lib/use-i18n";
import type { MessageKey } from "../../lib/i18n";
import { keyLabel } from "./labels";
import { PanelCard } from "./ChartPanel";

type Sort = { column: string; descending: boolean };

function rowLink(breakdown: string, key: string, filters: DashboardFilters, dashboardPath: string): string | null {
  if (breakdown === "agent") return `/agents/${key}${filtersToSearch({ ...filters, agentId: undefined })}`;
  if (breakdown === "team") return `${dashboardPath}${filtersToSearch({ ...filters, teamId: key })}`;
  return null;
}

/**
 * Per-key metrics side by side (one row per agent, team or territory), sortable by any column. Agents link to
 * their page; teams narrow the board to that team.
 */
export function MetricTable({ breakdown, columns, labels, filters, dashboardPath }: {
  breakdown: string; columns: PanelView[]; labels: Record<string, string>; filters: DashboardFilters; dashboardPath: string;
}) {
  const { t, locale } = useI18n();
  const { columnIds, rows } = useMemo(() => mergeTable(columns), [columns]);
  const [sort, setSort] = useState<Sort>({ column: "key", descending: false });
  const panelOf = (column: string) => columns.find((c) => c.metricId === column.split(":")[0])!;
  const labelOf = (key: string) => keyLabel(breakdown, key, labels, t);
  const sorted = useMemo(() => [...rows].sort((a, b) => {
    const cmp = sort.column === "key" ? labelOf(a.key).localeCompare(labelOf(b.key), locale)
      : (a.values[sort.column] ?? -Infinity) - (b.values[sort.column] ?? -Infinity);
    return sort.descending ? -cmp : cmp;
  }), [rows, sort, labels]); // eslint-disable-line react-hooks/exhaustive-deps
  const header = (column: string, text: string, title?: string) => (
    <th key={column} scope="col" className="whitespace-nowrap px-2 py-1.5 text-left font-medium" aria-sort={sort.column === column ? (sort.descending ? "descending" : "ascending") : "none"}>
      <button type="button" title={title ?? t("dash.sortBy", { column: text })} data-testid="sort" data-column={column}
        onClick={() => setSort((s) => ({ column, descending: s.column === column ? !s.descending : column !== "key" }))}
        className="inline-flex items-center gap-1 hover:text-wa-brand">
        {text}{sort.column === column && <span aria-hidden>{sort.descending ? "↓" : "↑"}</span>}
      </button>
    </th>
  );
  const summary: PanelView = { ...columns[0]!, name: t(`dash.table.${breakdown}` as MessageKey), description: "", rows: rows.length ? columns[0]!.rows : [] };
  return (
    <PanelCard panel={{ ...summary, metricId: `table_${breakdown}`, chart: "table" }}>
      <div className="mt-2 max-h-[28rem] overflow-auto">
        <table className="w-full text-sm" data-testid="metric-table" data-breakdown={breakdown}>
          <thead className="sticky top-0 bg-white text-xs text-slate-500 shadow-[0_1px_0_#e2e8f0]">
            <tr>
              {header("key", t(`dash.key.${breakdown}` as MessageKey))}
              {columnIds.map((c) => {
                const panel = panelOf(c);
                const series = c.split(":")[1];
                return header(c, series ? `${panel.name} (${series})` : panel.name, panel.description);
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sorted.map((row) => {
              const link = rowLink(breakdown, row.key, filters, dashboardPath);
              return (
                <tr key={row.key} data-testid="table-row" data-key={row.key}>
                  <td className="whitespace-nowrap px-2 py-1.5 font-medium text-slate-800">
                    {link ? <Link to={link} className="text-wa-brand hover:underline">{labelOf(row.key)}</Link> : labelOf(row.key)}
                  </td>
                  {columnIds.map((c) => (
                    <td key={c} className="whitespace-nowrap px-2 py-1.5 tabular-nums text-slate-700" data-column={c} data-value={row.values[c] ?? ""}>
                      {formatMetric(row.values[c] ?? null, panelOf(c).unit, locale, c.split(":")[1])}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </PanelCard>
  );
}
