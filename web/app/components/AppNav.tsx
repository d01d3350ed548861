import { NavLink } from "@remix-run/react";
import { useI18n, useRootData } from "../lib/use-i18n";
import { AccountControls } from "./AccountControls";
import type { MessageKey } from "../lib/i18n";

type Section = { to: string; label: MessageKey; roles: string[]; testId: string };

/** Where each role may go: agents work the inbox and see their own numbers; supervisors watch (settings read-only); admins configure. */
export function sectionsFor(role: string, agentId: string): Section[] {
  const all: Section[] = [
    { to: "/inbox", label: "nav.inbox", roles: ["agent", "supervisor", "admin"], testId: "nav-inbox" },
    { to: "/dashboards", label: "nav.dashboards", roles: ["supervisor", "admin"], testId: "nav-dashboards" },
    { to: `/agents/${agentId}`, label: "nav.myPerformance", roles: ["agent"], testId: "nav-performance" },
    { to: "/reports", label: "nav.reports", roles: ["supervisor", "admin"], testId: "nav-reports" },
    { to: "/admin", label: "nav.admin", roles: ["supervisor", "admin"], testId: "nav-admin" },
  ];
  return all.filter((s) => s.roles.includes(role));
}

/** The top bar of every page outside the inbox: sections, language, sign-out. */
export function AppNav({ children }: { children?: React.ReactNode }) {
  const { t } = useI18n();
  const agent = useRootData()?.agent;
  const sections = agent ? sectionsFor(agent.role, agent.id) : [];
  return (
    <header className="flex h-14 shrink-0 items-center gap-2 bg-wa-brand px-2.5 text-white shadow-sm sm:gap-4 sm:px-4">
      <span className="text-base font-semibold tracking-tight sm:text-lg">Centralita</span>
      <nav className="flex min-w-0 flex-1 items-center gap-0.5 overflow-x-auto text-sm sm:gap-1" aria-label="Secciones">
        {sections.map((s) => (
          <NavLink key={s.to} to={s.to} data-testid={s.testId} prefetch="intent"
            className={({ isActive }) => `whitespace-nowrap rounded-md px-2 py-1 ${isActive ? "bg-white/20 font-medium" : "text-white/85 hover:bg-white/10"}`}>
            {t(s.label)}
          </NavLink>
        ))}
      </nav>
      {children}
      <div className="flex items-center gap-0.5 sm:gap-2">
        <AccountControls name={agent?.name} />
      </div>
    </header>
  );
}
