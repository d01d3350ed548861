import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { conversationFacts, getMetric } from "@centralita/analytics";
import { FilterBar } from "../components/dashboards/FilterBar";
import { filtersFromUrl } from "../lib/dashboard-page.server";
import { filterOptions, loadViewer, metricQueryFor, requireAnalytics, requireSupervisor } from "../lib/dashboards.server";
import { conversationsBehind, drillable } from "../lib/drill";
import { requireAgent } from "../lib/guard.server";
import { formatMetric } from "../lib/metric-format";
import { useI18n } from "../lib/use-i18n";
import type { MessageKey } from "../lib/i18n";

const SHOWN = 200;
const SCANNED = 20_000;

/** The conversations behind a dashboard number: same filters and range, opened in the inbox from here. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  requireSupervisor(signedIn);
  const filters = filtersFromUrl(request);
  const metricParam = new URL(request.url).searchParams.get("metric");
  const metricId = metricParam && drillable(metricParam) ? metricParam : null;
  const viewer = await loadViewer(request, context, signedIn);
  const query = metricQueryFor(viewer, filters);
  const facts = await conversationFacts(requireAnalytics(context), query, SCANNED);
  const rows = conversationsBehind(facts, metricId, query.firstResponseTargetSeconds ?? 300, SHOWN);
  const lang = signedIn.locale === "en" ? "en" : "es";
  const labels = Object.fromEntries([...viewer.agents, ...viewer.teams].map((x) => [x.id, x.name]));
  return json({
    filters, metricId, rows, labels, metricName: metricId ? getMetric(metricId).name[lang] : null, total: facts.length, truncated: facts.length >= SCANNED,
    options: filterOptions(viewer, filters),
  });
}

export default function ConversationsBehind() {
  const { filters, metricId, rows, labels, metricName, options } = useLoaderData<typeof loader>();
  const { t, locale } = useI18n();
  const name = (id: string | null) => (id ? labels[id] ?? id.slice(0, 8) : "—");
  return (
    <>
      <FilterBar filters={filters} options={options} keep={metricId ? { metric: metricId } : undefined} />
      <div className="p-3 sm:p-4">
        <h1 className="text-lg font-semibold text-slate-900">{t("dash.drill.title")}{metricName ? ` · ${metricName}` : ""}</h1>
        <p className="text-xs text-slate-500">{t("dash.drill.subtitle", { shown: rows.length })}</p>
        {rows.length === 0 ? <p className="mt-6 text-center text-sm text-slate-400" data-testid="drill-empty">{t("dash.noData")}</p> : (
          <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-sm" data-testid="drill-table">
              <thead className="bg-slate-50 text-left text-xs text-slate-500">
                <tr>{(["opened", "team", "agents", "territory", "frt", "resolution", "outcome"] as const).map((c) => <th key={c} className="whitespace-nowrap px-2 py-1.5 font-medium">{t(`dash.drill.${c}` as MessageKey)}</th>)}</tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((r) => (
                  <tr key={`${r.conversationId}:${r.cycle}`} data-testid="drill-row">
                    <td className="whitespace-nowrap px-2 py-1.5"><Link to={`/inbox/${r.conversationId}`} className="text-wa-brand hover:underline">{r.openedAt.slice(0, 16)}</Link></td>
                    <td className="whitespace-nowrap px-2 py-1.5">{name(r.teamId)}</td>
                    <td className="px-2 py-1.5">{r.agentIds.map(name).join(" → ") || "—"}</td>
                    <td className="whitespace-nowrap px-2 py-1.5">{r.territory ?? "—"}</td>
                    <td className="whitespace-nowrap px-2 py-1.5 tabular-nums">{formatMetric(r.firstResponseSeconds, "seconds", locale)}</td>
                    <td className="whitespace-nowrap px-2 py-1.5 tabular-nums">{formatMetric(r.resolutionSeconds, "seconds", locale)}</td>
                    <td className="whitespace-nowrap px-2 py-1.5">{r.outcome ?? "—"}{r.dealValue !== null && r.currency ? ` · ${formatMetric(r.dealValue, "money", locale, r.currency)}` : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </>
  );
}
