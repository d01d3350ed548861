import { Link, useFetcher } from "@remix-run/react";
import type { LiveStatus } from "../lib/live-client";
import type { Me, Presence } from "../lib/router-types";
import { useI18n, useRootData } from "../lib/use-i18n";
import { AccountControls } from "./AccountControls";
import { sectionsFor } from "./AppNav";

const presenceDot: Record<Presence, string> = { online: "bg-emerald-500", away: "bg-amber-400", offline: "bg-slate-400" };

function PresenceToggle({ me }: { me: Me }) {
  const { t } = useI18n();
  const fetcher = useFetcher();
  const csrf = useRootData().csrf;
  const pending = fetcher.formData?.get("presence") as Presence | undefined;
  const presence = pending ?? me.presence;
  return (
    <label className="flex items-center gap-2 rounded-full bg-white/10 py-1 pl-2 pr-1 text-sm">
      <span className={`h-2.5 w-2.5 rounded-full ${presenceDot[presence]}`} aria-hidden />
      <span className="sr-only">{t("presence.label")}</span>
      <select name="presence" value={presence} data-testid="presence"
        onChange={(e) => fetcher.submit({ intent: "presence", presence: e.target.value, csrf }, { method: "post", action: "/preferences" })}
        className="w-[6.5rem] cursor-pointer appearance-none truncate rounded-full border-0 bg-transparent py-0 pl-0 pr-1 text-sm text-white focus:outline-none focus:ring-2 focus:ring-white/40 sm:w-auto [&>option]:text-slate-900">
        {(["online", "away", "offline"] as const).map((p) => <option key={p} value={p}>{t(`presence.${p}`)}</option>)}
      </select>
      <span aria-hidden className="pr-1 text-xs text-white/80">▾</span>
    </label>
  );
}

export function InboxHeader({ me, activeCount, liveStatus }: { me: Me; activeCount: number; liveStatus: LiveStatus }) {
  const { t } = useI18n();
  const full = activeCount >= me.capacity;
  return (
    <header className="flex h-14 shrink-0 items-center gap-1.5 bg-wa-brand px-2.5 text-white shadow-sm sm:gap-3 sm:px-4">
      <Link to="/inbox" className="text-base font-semibold tracking-tight sm:text-lg">Centralita</Link>
      <span data-testid="live-status" data-state={liveStatus} title={t(liveStatus === "live" ? "live.connected" : "live.reconnecting")}
        className="flex items-center gap-1 text-xs text-white/80">
        <span className={`h-2 w-2 rounded-full ${liveStatus === "live" ? "bg-lime-300" : "animate-pulse bg-amber-300"}`} />
        <span className="hidden sm:inline">{t(liveStatus === "live" ? "live.connected" : "live.reconnecting")}</span>
      </span>
      <nav className="ml-1 hidden items-center gap-0.5 text-sm md:flex" aria-label="Secciones">
        {sectionsFor(me.role, me.id).filter((s) => s.to !== "/inbox").map((s) => (
          <Link key={s.to} to={s.to} data-testid={s.testId} prefetch="intent" className="rounded-md px-2 py-1 text-white/85 hover:bg-white/10">{t(s.label)}</Link>
        ))}
      </nav>
      <div className="ml-auto flex items-center gap-0.5 sm:gap-3">
        <span data-testid="capacity" className={`hidden rounded-full px-2 py-0.5 text-xs sm:inline ${full ? "bg-amber-300 text-amber-950" : "bg-white/15"}`}>
          {t("capacity.label", { active: activeCount, capacity: me.capacity })}
        </span>
        <PresenceToggle me={me} />
        <AccountControls name={me.name} title={t(`role.${me.role}`)} />
      </div>
    </header>
  );
}
