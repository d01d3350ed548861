import type { PanelView } from "../../lib/dashboard-view";
import { formatMetric } from "../../lib/metric-format";
import { useI18n } from "../../lib/use-i18n";
import type { MessageKey } from "../../lib/i18n";
import { keyLabel } from "./labels";

type Matrix = { rows: Array<{ id: string; label: string }>; columns: Array<{ id: string; label: string }>; cells: Map<string, number>; max: number };

function build(panel: PanelView, labels: Record<string, string>, t: (k: MessageKey) => string): Matrix {
  const cells = new Map<string, number>();
  let max = 0;
  for (const r of panel.rows ?? []) {
    const v = r.value ?? 0;
    cells.set(`${r.key}|${r.series}`, v);
    max = Math.max(max, v);
  }
  if (panel.breakdown === "weekday_hour") {
    return {
      rows: ["1", "2", "3", "4", "5", "6", "7"].map((d) => ({ id: d, label: t(`dash.weekday.${d}` as MessageKey) })),
      columns: Array.from({ length: 24 }, (_, h) => ({ id: String(h), label: String(h) })),
      cells, max,
    };
  }
  const ids = [...new Set((panel.rows ?? []).flatMap((r) => [r.key ?? "", r.series ?? ""]))];
  const named = ids.map((id) => ({ id, label: keyLabel("pair", id, labels, t as never) })).sort((a, b) => a.label.localeCompare(b.label));
  return { rows: named, columns: named, cells, max };
}

/** The day×hour heatmap and the from×to transfer matrix: a grid whose shade is the count. */
export function MatrixPanel({ panel, labels }: { panel: PanelView; labels: Record<string, string> }) {
  const { t, locale } = useI18n();
  const m = build(panel, labels, t);
  const hours = panel.breakdown === "weekday_hour";
  return (
    <div className="mt-2 overflow-x-auto" data-testid="matrix">
      <table className="border-separate border-spacing-0.5 text-[11px]">
        <thead>
          <tr>
            <th className="px-1 text-left font-normal text-slate-400">{hours ? "" : t("dash.from.to")}</th>
            {m.columns.map((c) => <th key={c.id} className={`font-normal text-slate-500 ${hours ? "w-5" : "max-w-[5rem] truncate px-1"}`} title={c.label}>{c.label}</th>)}
          </tr>
        </thead>
        <tbody>
          {m.rows.map((r) => (
            <tr key={r.id}>
              <th className="whitespace-nowrap pr-1 text-left font-normal text-slate-600">{r.label}</th>
              {m.columns.map((c) => {
                const v = m.cells.get(`${r.id}|${c.id}`) ?? 0;
                const alpha = m.max ? 0.08 + 0.92 * (v / m.max) : 0;
                return (
                  <td key={c.id} title={`${r.label} · ${c.label}: ${formatMetric(v, panel.unit, locale)}`} data-value={v}
                    className={`h-5 rounded-sm text-center ${hours ? "w-5" : "min-w-[2.5rem]"} ${alpha > 0.55 ? "text-white" : "text-slate-700"}`}
                    style={{ backgroundColor: v ? `rgba(0, 128, 105, ${alpha.toFixed(3)})` : "#f1f5f9" }}>
                    {hours || !v ? "" : v}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
