import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData, useLocation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { dashboards } from "@centralita/analytics";
import { AppNav } from "../components/AppNav";
import { PageError } from "../components/PageError";
import { requireAgent } from "../lib/guard.server";
import { requireSupervisor } from "../lib/dashboards.server";

export const meta: MetaFunction = () => [{ title: "Tableros · Centralita" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  requireSupervisor(signedIn);
  const lang = signedIn.locale === "en" ? "en" : "es";
  return json({ boards: dashboards.map((d) => ({ id: d.id, number: d.number, title: d.title[lang], live: d.refresh === "live" })) });
}

/** The nine dashboards: a tab per board that keeps the current filters, and the board below. */
export default function Dashboards() {
  const { boards } = useLoaderData<typeof loader>();
  const { search, pathname } = useLocation();
  const tabs = useRef<HTMLElement>(null);
  // On a phone the tab row scrolls: bring the open board's tab into view.
  useEffect(() => {
    tabs.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "center" });
  }, [pathname]);
  return (
    <div className="flex h-full flex-col bg-slate-50">
      <AppNav />
      <nav ref={tabs} className="flex shrink-0 gap-1 overflow-x-auto border-b border-slate-200 bg-white px-2 pt-1 sm:px-4" aria-label="Tableros" data-testid="dashboard-tabs">
        {boards.map((b) => (
          <NavLink key={b.id} to={`/dashboards/${b.id}${search}`} data-testid="dashboard-tab" data-id={b.id} prefetch="intent"
            className={({ isActive }) => `whitespace-nowrap border-b-2 px-2.5 py-2 text-sm ${isActive ? "border-wa-brand font-medium text-wa-brand" : "border-transparent text-slate-600 hover:text-slate-900"}`}>
            {b.live && <span className="mr-1 inline-block h-2 w-2 rounded-full bg-lime-500 align-middle" aria-hidden />}
            {b.title}
          </NavLink>
        ))}
      </nav>
      <main className="min-h-0 flex-1 overflow-y-auto"><Outlet /></main>
    </div>
  );
}

export function ErrorBoundary() {
  return <PageError testId="dash-error" forbidden="dash.forbidden" unavailable="dash.unavailable" />;
}
