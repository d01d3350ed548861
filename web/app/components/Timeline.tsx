import { useEffect, useRef } from "react";
import { formatDateTime, formatTime, type MessageKey } from "../lib/i18n";
import type { ConversationDetail, Message, MessageStatus, Note } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

type Entry =
  | { kind: "message"; at: string; cycle: number; message: Message }
  | { kind: "note"; at: string; cycle: number; note: Note }
  | { kind: "system"; at: string; cycle: number; id: string; text: string };

const mediaIcon: Record<string, string> = { image: "📷", audio: "🎤", video: "🎬", document: "📄", sticker: "🏷️", location: "📍", contacts: "👤", reaction: "❤️", unsupported: "⚠️" };

/** Messages, notes, assignments and transfers of every cycle, in the order they happened. */
function useEntries(conversation: ConversationDetail): Entry[] {
  const { t } = useI18n();
  const queue = t("timeline.queue");
  const entries: Entry[] = [
    ...conversation.messages.map((m): Entry => ({ kind: "message", at: m.createdAt, cycle: m.cycle, message: m })),
    ...conversation.notes.map((n): Entry => ({ kind: "note", at: n.createdAt, cycle: n.cycle, note: n })),
    ...conversation.assignments.filter((a) => a.agent).map((a): Entry => ({
      kind: "system", at: a.startedAt, cycle: a.cycle, id: `a-${a.id}`, text: t("timeline.assigned", { name: a.agent?.name ?? "?" }),
    })),
    ...conversation.transfers.map((tr): Entry => ({
      kind: "system", at: tr.createdAt, cycle: tr.cycle, id: `t-${tr.id}`,
      text: t("timeline.transferred", { from: tr.fromAgent?.name ?? queue, to: tr.toAgent?.name ?? queue }) + (tr.reason ? ` · ${t("timeline.reason", { reason: tr.reason })}` : ""),
    })),
  ];
  // Same instant: the transfer line before the assignment it caused.
  return entries.sort((a, b) => a.at.localeCompare(b.at) || (a.kind === "system" && b.kind === "system" ? b.id.localeCompare(a.id) : 0));
}

function Ticks({ status }: { status: MessageStatus }) {
  const { t } = useI18n();
  if (status === "failed") return <span className="font-bold text-red-600" title={t("tick.failed")} aria-label={t("tick.failed")}>!</span>;
  if (status === "queued" || status === "accepted") return <span className="text-slate-400" title={t("tick.queued")} aria-label={t("tick.queued")}>🕓</span>;
  const double = status === "delivered" || status === "read";
  const label = t(status === "read" ? "tick.read" : status === "delivered" ? "tick.delivered" : "tick.sent");
  return (
    <span data-testid="ticks" data-status={status} title={label} aria-label={label}
      className={`font-semibold tracking-[-0.35em] ${status === "read" ? "text-wa-tick" : "text-slate-400"}`}>
      {double ? "✓✓" : "✓"}
    </span>
  );
}

function MessageBubble({ message }: { message: Message }) {
  const { t, locale } = useI18n();
  const outbound = message.direction === "outbound";
  const media = message.kind !== "text" && message.kind !== "template" && message.kind !== "interactive" && message.kind !== "button";
  return (
    <div className={`flex ${outbound ? "justify-end" : "justify-start"}`}>
      <div data-testid={outbound ? "bubble-out" : "bubble-in"}
        className={`relative max-w-[85%] rounded-lg px-2.5 pb-1 pt-1.5 text-[15px] shadow-sm sm:max-w-[70%] ${outbound ? "rounded-tr-none bg-wa-out" : "rounded-tl-none bg-white"}`}>
        {outbound && message.agent?.name && <p className="text-xs font-semibold text-wa-dark">{message.agent.name}</p>}
        {message.templateName && <p className="text-xs text-slate-500">📋 {message.templateName}</p>}
        {media && (
          <p className="my-1 flex items-center gap-2 rounded bg-black/5 px-2 py-3 text-sm text-slate-600" data-testid="media">
            <span aria-hidden>{mediaIcon[message.kind] ?? "📎"}</span>{t(`kind.${message.kind}` as MessageKey)}
          </p>
        )}
        {message.body && <p className="whitespace-pre-wrap break-words">{message.body}</p>}
        <p className="-mb-0.5 mt-0.5 flex items-center justify-end gap-1 text-[11px] text-slate-500">
          <span suppressHydrationWarning>{formatTime(message.createdAt, locale)}</span>
          {outbound && <Ticks status={message.status} />}
        </p>
      </div>
    </div>
  );
}

function NoteBubble({ note }: { note: Note }) {
  const { t, locale } = useI18n();
  return (
    <div className="flex justify-end">
      <div data-testid="note" className="max-w-[85%] rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-[15px] shadow-sm sm:max-w-[70%]">
        <p className="flex items-center gap-1 text-xs font-semibold text-amber-800">
          <span aria-hidden>🔒</span>{t("note.label")}{note.author?.name ? ` · ${note.author.name}` : ""}
        </p>
        <p className="whitespace-pre-wrap break-words text-slate-800">{note.body}</p>
        <p className="mt-0.5 text-right text-[11px] text-amber-700/80" suppressHydrationWarning>{t("note.hint")} · {formatTime(note.createdAt, locale)}</p>
      </div>
    </div>
  );
}

export function Timeline({ conversation }: { conversation: ConversationDetail }) {
  const { t, locale } = useI18n();
  const entries = useEntries(conversation);
  const bottom = useRef<HTMLDivElement>(null);
  const count = entries.length;
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [count, conversation.id]);
  let cycle = 0;
  return (
    <div className="chat-wallpaper min-h-0 flex-1 overflow-y-auto px-3 py-3 sm:px-6" data-testid="timeline">
      <div className="mx-auto flex max-w-3xl flex-col gap-1.5">
        {entries.map((entry) => {
          const separator = entry.cycle !== cycle
            ? <p key={`c-${entry.cycle}`} className="my-2 self-center rounded-md bg-white/90 px-3 py-1 text-xs font-medium text-slate-600 shadow-sm" suppressHydrationWarning>
                {t("conv.cycle", { cycle: entry.cycle, date: formatDateTime(entry.at, locale) })}
              </p>
            : null;
          cycle = entry.cycle;
          const body = entry.kind === "message" ? <MessageBubble key={entry.message.id} message={entry.message} />
            : entry.kind === "note" ? <NoteBubble key={entry.note.id} note={entry.note} />
            : <p key={entry.id} className="self-center rounded-md bg-sky-50/95 px-3 py-1 text-xs text-sky-900 shadow-sm">{entry.text}</p>;
          return separator ? [separator, body] : body;
        })}
        {conversation.status === "resolved" && conversation.outcome && (
          <p className="my-2 self-center rounded-md bg-white/90 px-3 py-1 text-xs font-medium text-slate-700 shadow-sm">
            {t("conv.resolvedAs", { outcome: t(`outcome.${conversation.outcome}`) })}
          </p>
        )}
        <div ref={bottom} />
      </div>
    </div>
  );
}
