import type { ReportTable } from "../../lib/exports/report";
import { formatMetric, type Unit } from "../../lib/metric-format";
import type { MessageKey } from "../../lib/i18n";
import { useI18n } from "../../lib/use-i18n";

/** The builder's table: a row per key (and the total), a column per metric, numbers formatted for reading. */
export function ReportTableView({ table, metrics, exportSearch }: { table: ReportTable; metrics: Array<{ id: string; name: string; unit: string }>; exportSearch: string }) {
  const { t, locale } = useI18n();
  const byId = new Map(metrics.map((m) => [m.id, m]));
  return (
    <section className="flex flex-col gap-2" data-testid="report-table">
      <div className="flex items-center gap-2 text-sm">
        <span className="text-slate-500">{t("reports.export")}:</span>
        <a href={`/reports/table.csv${exportSearch}`} className="text-wa-brand hover:underline" data-testid="report-export-csv" download>CSV</a>
        <a href={`/reports/table.xlsx${exportSearch}`} className="text-wa-brand hover:underline" data-testid="report-export-xlsx" download>XLSX</a>
      </div>
      <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs text-slate-500">
            <tr>
              <th className="px-3 py-2 font-medium">{t(`reports.breakdown.${table.spec.breakdown}` as MessageKey)}</th>
              {table.spec.metricIds.map((id) => <th key={id} className="px-3 py-2 text-right font-medium">{byId.get(id)?.name ?? id}</th>)}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row) => (
              <tr key={row.key ?? "total"} className={row.key === null ? "border-t-2 border-slate-300 font-semibold" : "border-t border-slate-100"} data-testid="report-row" data-key={row.key ?? "total"}>
                <td className="px-3 py-1.5 text-slate-800">{row.label}</td>
                {row.values.map((v, i) => (
                  <td key={table.spec.metricIds[i]} className="px-3 py-1.5 text-right tabular-nums text-slate-700" data-value={v ?? ""}>
                    {formatMetric(v, (byId.get(table.spec.metricIds[i]!)?.unit ?? "count") as Unit, locale)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
