import { useEffect, useRef, useState } from "react";
import type { ConversationDetail, Role, Template } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";
import { CsrfField } from "./CsrfField";
import { TemplatePicker, TemplateSender } from "./TemplatePicker";
import { useCommand } from "./use-command";

type Props = { conversation: ConversationDetail; me: { id: string; role: Role }; templates: Template[] };
type Mode = "reply" | "note";

function windowIsOpen(closesAt: string | null) {
  return closesAt !== null && Date.parse(closesAt) > Date.now();
}

/** Why the agent cannot write to the customer right now, if he cannot. */
function replyBlocker(conversation: ConversationDetail, me: Props["me"]) {
  if (conversation.status === "resolved") return "composer.resolved" as const;
  if (me.role !== "agent" || conversation.assignee?.id === me.id) return null;
  return conversation.assignee ? ("composer.heldBy" as const) : ("composer.claimFirst" as const);
}

function ModeTab({ value, mode, onSelect, label }: { value: Mode; mode: Mode; onSelect: (m: Mode) => void; label: string }) {
  const active = mode === value;
  const activeClass = value === "note" ? "bg-amber-200 font-semibold text-amber-900" : "bg-emerald-100 font-semibold text-wa-dark";
  return (
    <button type="button" onClick={() => onSelect(value)} aria-pressed={active} data-testid={`mode-${value}`}
      className={`rounded-full px-3 py-1 text-sm ${active ? activeClass : "text-slate-600 hover:bg-slate-100"}`}>
      {label}
    </button>
  );
}

/** Enter sends (or, after "/", picks the first matching template); Shift+Enter and IME composition type on. */
function enterToSend(opts: { slash: string | null; templates: Template[]; pick: (t: Template) => void; submit: () => void }) {
  return (e: React.KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== "Enter" || e.shiftKey || e.nativeEvent.isComposing) return;
    e.preventDefault();
    if (opts.slash === null) return opts.submit();
    const match = opts.templates.find((tpl) => tpl.name.includes(opts.slash!.toLowerCase()));
    if (match) opts.pick(match);
  };
}

export function Composer({ conversation, me, templates }: Props) {
  const { t } = useI18n();
  const command = useCommand("composer");
  const [mode, setMode] = useState<Mode>("reply");
  const [text, setText] = useState("");
  const [chosen, setChosen] = useState<Template | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const blocker = replyBlocker(conversation, me);
  const windowOpen = windowIsOpen(conversation.windowClosesAt);
  const onlyTemplates = mode === "reply" && !blocker && !windowOpen;
  const slash = mode === "reply" && text.startsWith("/") ? text.slice(1) : null;

  useEffect(() => {
    if (command.fetcher.state === "idle" && command.fetcher.data?.ok) {
      setText("");
      setChosen(null);
    }
  }, [command.fetcher.state, command.fetcher.data]);

  const pick = (template: Template) => {
    // Inside the window a template is a canned reply to edit; outside it, only the template itself can go.
    if (windowOpen && template.parameterCount === 0) setText(template.body);
    else setChosen(template);
    area.current?.focus();
  };
  const onKeyDown = enterToSend({ slash, templates, pick, submit: () => { if (text.trim()) form.current?.requestSubmit(); } });

  return (
    <div className={`shrink-0 border-t px-3 pb-[max(0.5rem,env(safe-area-inset-bottom))] pt-2 sm:px-4 ${mode === "note" ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-slate-50"}`}>
      <div className="mb-2 flex items-center gap-1">
        <ModeTab value="reply" mode={mode} onSelect={setMode} label={t("composer.reply")} />
        <ModeTab value="note" mode={mode} onSelect={setMode} label={t("composer.note")} />
        {mode === "reply" && !blocker && <TemplatePicker templates={templates} filter={null} onPick={pick} />}
      </div>
      {command.error && <p role="alert" data-testid="composer-error" className="mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">{command.error}</p>}
      {mode === "reply" && blocker ? (
        <p className="rounded-lg bg-white px-3 py-3 text-sm text-slate-600" data-testid="composer-blocked">
          {t(blocker, { name: conversation.assignee?.name ?? "" })}
        </p>
      ) : onlyTemplates || chosen ? (
        <TemplateSender templates={templates} chosen={chosen} onChoose={setChosen} command={command} onlyTemplates={onlyTemplates} />
      ) : (
        <command.fetcher.Form ref={form} method="post" className="relative flex items-end gap-2">
          <CsrfField />
          <input type="hidden" name="intent" value={mode} />
          {slash !== null && <TemplatePicker templates={templates} filter={slash} onPick={pick} inline />}
          <textarea ref={area} name="text" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} rows={1} required
            placeholder={t(mode === "note" ? "composer.notePlaceholder" : "composer.placeholder")} data-testid="composer-text"
            className={`max-h-40 min-h-[42px] flex-1 resize-none rounded-2xl border px-4 py-2.5 text-[15px] focus:outline-none focus:ring-2 ${mode === "note" ? "border-amber-300 bg-white focus:ring-amber-300" : "border-slate-300 bg-white focus:ring-wa-brand/30"}`}
            style={{ height: `${Math.min(160, 42 + 22 * (text.split("\n").length - 1))}px` }} />
          <button type="submit" disabled={command.busy || !text.trim()} data-testid="composer-send"
            className={`h-[42px] shrink-0 rounded-full px-4 text-sm font-semibold text-white disabled:opacity-50 ${mode === "note" ? "bg-amber-600 hover:bg-amber-700" : "bg-wa-brand hover:bg-wa-dark"}`}>
            {t(mode === "note" ? "composer.saveNote" : "composer.send")}
          </button>
        </command.fetcher.Form>
      )}
      {mode === "reply" && !blocker && !onlyTemplates && !chosen && <p className="mt-1 hidden text-[11px] text-slate-500 sm:block">{t("composer.keys")}</p>}
    </div>
  );
}
