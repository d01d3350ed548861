import type { Presence } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

type Member = { id: string; name: string; presence: Presence; capacity?: number };
const dot: Record<Presence, string> = { online: "bg-emerald-500", away: "bg-amber-400", offline: "bg-slate-300" };
const order: Record<Presence, number> = { online: 0, away: 1, offline: 2 };

/** Supervisors see who is online right now (live: presence events reload it), and each agent's capacity. */
export function TeamPresence({ members }: { members: Member[] }) {
  const { t } = useI18n();
  const online = members.filter((m) => m.presence === "online").length;
  const sorted = [...members].sort((a, b) => order[a.presence] - order[b.presence] || a.name.localeCompare(b.name));
  return (
    <details className="shrink-0 border-t border-slate-200 text-sm" data-testid="team-presence">
      <summary className="cursor-pointer select-none px-3 py-2 text-slate-600">
        {t("team.presence", { online, total: members.length })}
      </summary>
      <ul className="max-h-48 overflow-y-auto px-3 pb-2">
        {sorted.map((m) => (
          <li key={m.id} className="flex items-center gap-2 py-1" data-testid="team-member" data-presence={m.presence}>
            <span className={`h-2 w-2 shrink-0 rounded-full ${dot[m.presence]}`} aria-hidden />
            <span className="truncate">{m.name}</span>
            <span className="ml-auto text-xs text-slate-500">{t(`presence.${m.presence}`)}{m.capacity !== undefined ? ` · ${m.capacity}` : ""}</span>
          </li>
        ))}
      </ul>
    </details>
  );
}
