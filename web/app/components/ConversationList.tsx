import { Link, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { filterSearch, type InboxFilterState } from "../lib/inbox-filters";
import { formatDuration, formatTime } from "../lib/i18n";
import type { InboxItem, InboxPage } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/** j/k or arrows move through the list, "/" jumps to the search box, Escape leaves a text field. */
function useListKeys(items: InboxItem[], openId: string | undefined, hrefOf: (id: string) => string) {
  const navigate = useNavigate();
  // Read at key time, not from the listener's closure: effects re-subscribe after paint, so a key pressed
  // right after a navigation would otherwise move from the previous conversation.
  const latest = useRef({ items, openId, hrefOf });
  latest.current = { items, openId, hrefOf };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { items, openId, hrefOf } = latest.current;
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === "Escape" && typing(e.target)) return (e.target as HTMLElement).blur();
      if (typing(e.target)) return;
      if (e.key === "/") {
        e.preventDefault();
        document.querySelector<HTMLInputElement>("input[data-search]")?.focus();
        return;
      }
      const step = e.key === "j" || e.key === "ArrowDown" ? 1 : e.key === "k" || e.key === "ArrowUp" ? -1 : 0;
      if (!step || items.length === 0) return;
      e.preventDefault();
      const index = items.findIndex((i) => i.id === openId);
      const next = items[Math.min(items.length - 1, Math.max(0, index === -1 ? 0 : index + step))]!;
      navigate(hrefOf(next.id), { preventScrollReset: true });
      document.getElementById(`conv-${next.id}`)?.focus({ preventScroll: false });
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate]);
}

/** Rerenders every 30 s so waiting times stay current between live updates. */
function useNow(everyMs = 30_000) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "Jorge Ramírez" → "JR"; a bare number shows its last two digits. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /\p{L}/u.test(w[0] ?? ""));
  if (words.length === 0) return name.slice(-2);
  return words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join("");
}

function Row({ item, href, open, unseen, now }: { item: InboxItem; href: string; open: boolean; unseen: boolean; now: number }) {
  const { t, locale } = useI18n();
  const name = item.contact.name || item.contact.phone;
  const waiting = item.waitingSince ? now - Date.parse(item.waitingSince) : null;
  return (
    <li>
      <Link id={`conv-${item.id}`} to={href} preventScrollReset data-testid="conversation-row" data-conversation-id={item.id}
        aria-current={open ? "true" : undefined}
        className={`flex gap-3 border-b border-slate-100 px-3 py-3 outline-none hover:bg-slate-50 focus-visible:bg-emerald-50 ${open ? "bg-emerald-50" : ""}`}>
        <span aria-hidden className="mt-0.5 flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold text-slate-600">
          {initials(name)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span className={`truncate ${unseen ? "font-bold" : "font-medium"}`}>{name}</span>
            <span className="ml-auto shrink-0 text-xs text-slate-500" suppressHydrationWarning>{formatTime(item.lastMessageAt, locale)}</span>
          </span>
          <span className="block truncate text-sm text-slate-600">{item.lastMessage ?? "—"}</span>
          <span className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
            {waiting !== null && (
              <span suppressHydrationWarning className={`rounded px-1.5 py-0.5 font-medium ${waiting > 5 * 60_000 ? "bg-red-100 text-red-700" : "bg-amber-100 text-amber-800"}`}>
                {t("list.waiting", { time: formatDuration(waiting) })}
              </span>
            )}
            <span className={`rounded px-1.5 py-0.5 ${item.assignee ? "bg-emerald-100 text-emerald-800" : "bg-slate-100 text-slate-600"}`} data-testid="row-assignee">
              {item.assignee ? item.assignee.name : t("list.unassigned")}
            </span>
            {item.team && <span className="text-slate-500">{item.team.name}</span>}
            {item.status !== "open" && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-600">{t(`status.${item.status}`)}</span>}
            {item.tags.map((tag) => <span key={tag} className="rounded bg-sky-100 px-1.5 py-0.5 text-sky-800">#{tag}</span>)}
            {unseen && <span className="ml-auto h-2.5 w-2.5 rounded-full bg-wa-brand" aria-hidden />}
          </span>
        </span>
      </Link>
    </li>
  );
}

type Props = { page: InboxPage; filters: InboxFilterState; openId?: string; unseen: string[]; busy: boolean };

export function ConversationList({ page, filters, openId, unseen, busy }: Props) {
  const { t } = useI18n();
  const now = useNow();
  const search = filterSearch(filters);
  const hrefOf = (id: string) => `/inbox/${id}${search}`;
  useListKeys(page.items, openId, hrefOf);
  if (page.items.length === 0) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center p-8 text-center text-slate-500" data-testid="list-empty">
        <p className="font-medium">{t("list.empty")}</p>
        <p className="mt-1 text-sm">{t("list.emptyHint")}</p>
      </div>
    );
  }
  return (
    <div className={`min-h-0 flex-1 overflow-y-auto transition-opacity ${busy ? "opacity-60" : ""}`} aria-busy={busy}>
      <ul aria-label={t("list.label")}>
        {page.items.map((item) => (
          <Row key={item.id} item={item} href={hrefOf(item.id)} open={item.id === openId} unseen={unseen.includes(item.id)} now={now} />
        ))}
      </ul>
      {page.nextCursor && (
        <Link to={`/inbox${filterSearch(filters, { cursor: page.nextCursor })}`} className="block p-3 text-center text-sm font-medium text-wa-brand hover:underline">
          {t("list.more")}
        </Link>
      )}
    </div>
  );
}
