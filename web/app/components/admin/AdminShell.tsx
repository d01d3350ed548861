import { NavLink, useLocation, useNavigation } from "@remix-run/react";
import { AppNav } from "../AppNav";
import { useEffect, useRef } from "react";
import type { MessageKey } from "../../lib/i18n";
import { useI18n } from "../../lib/use-i18n";
import { Badge } from "./ui";

export type AdminSection = { to: string; label: MessageKey; adminOnly?: boolean; end?: boolean };
export const ADMIN_SECTIONS: AdminSection[] = [
  { to: "/admin", label: "admin.nav.overview", end: true },
  { to: "/admin/agents", label: "admin.nav.agents" },
  { to: "/admin/teams", label: "admin.nav.teams" },
  { to: "/admin/rules", label: "admin.nav.rules" },
  { to: "/admin/templates", label: "admin.nav.templates" },
  { to: "/admin/channels", label: "admin.nav.channels" },
  { to: "/admin/workspace", label: "admin.nav.workspace", adminOnly: true },
];

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `shrink-0 whitespace-nowrap border-b-2 px-3 py-2.5 text-sm font-medium ${isActive ? "border-wa-brand text-wa-dark" : "border-transparent text-slate-500 hover:text-slate-800"}`;

/** The admin area's frame: a header, one tab per section (scrolling sideways on a phone), the page below. */
export function AdminShell({ role, children }: { role: string; children: React.ReactNode }) {
  const { t } = useI18n();
  const navigation = useNavigation();
  const sections = ADMIN_SECTIONS.filter((s) => !s.adminOnly || role === "admin");
  const tabs = useRef<HTMLDivElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  useEffect(() => {
    tabs.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <div className="flex min-h-full flex-col">
      {navigation.state !== "idle" && (
        <div role="progressbar" aria-label={t("loading")} data-testid="loading" className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-lime-300" />
      )}
      <AppNav>{role !== "admin" && <Badge tone="amber" testId="read-only">{t("admin.readOnly")}</Badge>}</AppNav>
      <nav aria-label={t("admin.title")} className="sticky top-0 z-30 border-b border-slate-200 bg-white">
        <div ref={tabs} className="mx-auto flex max-w-5xl overflow-x-auto px-2 [scrollbar-width:none]">
          {sections.map((s) => <NavLink key={s.to} to={s.to} end={s.end} prefetch="intent" className={tabClass}>{t(s.label)}</NavLink>)}
        </div>
      </nav>
      <main className="mx-auto w-full max-w-5xl flex-1 space-y-4 p-3 sm:p-6">{children}</main>
    </div>
  );
}

/** A page title with an optional primary action beside it. */
export function PageTitle({ title, description, action }: { title: string; description?: string; action?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {description && <p className="mt-1 max-w-2xl text-sm text-slate-500">{description}</p>}
      </div>
      {action}
    </div>
  );
}
