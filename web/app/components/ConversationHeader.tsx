import { Link, useSearchParams } from "@remix-run/react";
import { useCallback, useEffect, useState } from "react";
import { formatDuration } from "../lib/i18n";
import type { ConversationDetail, Presence, Role } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";
import { AssignDialog, ResolveDialog, TransferDialog } from "./ActionDialogs";
import { useCommand } from "./use-command";

type AgentOption = { id: string; name: string; presence: Presence; role: Role; teamIds: string[] };
type Props = {
  conversation: ConversationDetail; me: { id: string; role: Role };
  agents: AgentOption[]; teams: { id: string; name: string }[]; onToggleContact: () => void;
};

/** The 24-hour window's remaining time, ticking each second while it is under a minute away. */
function WindowCountdown({ closesAt }: { closesAt: string | null }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = closesAt ? Date.parse(closesAt) - now : 0;
  const open = left > 0;
  const urgent = open && left < 2 * 3600_000;
  return (
    <span data-testid="window" suppressHydrationWarning
      className={`rounded-full px-2 py-0.5 text-xs font-medium ${!open ? "bg-slate-200 text-slate-700" : urgent ? "bg-amber-100 text-amber-800" : "bg-emerald-50 text-emerald-800"}`}>
      {open ? t("conv.windowLeft", { time: formatDuration(left) }) : t("conv.windowClosed")}
    </span>
  );
}

const button = "shrink-0 rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
const primary = "shrink-0 rounded-lg bg-wa-brand px-3 py-1.5 text-sm font-semibold text-white hover:bg-wa-dark disabled:opacity-50";

type DialogName = "transfer" | "resolve" | "assign" | null;

function ActionBar({ conversation, me, onOpen }: { conversation: ConversationDetail; me: Props["me"]; onOpen: (d: DialogName) => void }) {
  const { t } = useI18n();
  const command = useCommand("conversation-command");
  const resolved = conversation.status === "resolved";
  const mine = conversation.assignee?.id === me.id;
  const supervisor = me.role !== "agent";
  const canAct = !resolved && (mine || supervisor);
  const send = (intent: string, extra: Record<string, string> = {}) => () => command.run({ intent, ...extra });
  return (
    <>
      <div className="flex gap-2 overflow-x-auto px-3 pb-2 sm:px-4">
        {!resolved && !conversation.assignee && <button className={primary} disabled={command.busy} onClick={send("claim")} data-testid="claim">{t("actions.claim")}</button>}
        {!resolved && supervisor && !mine && conversation.assignee && <button className={button} disabled={command.busy} onClick={send("takeover")} data-testid="takeover">{t("actions.takeover")}</button>}
        {!resolved && supervisor && <button className={button} onClick={() => onOpen("assign")}>{t("actions.assign")}</button>}
        {canAct && <button className={primary} onClick={() => onOpen("resolve")} data-testid="resolve">{t("actions.resolve")}</button>}
        {canAct && <button className={button} onClick={() => onOpen("transfer")} data-testid="transfer">{t("actions.transfer")}</button>}
        {canAct && conversation.assignee && (conversation.status === "open"
          ? <button className={button} disabled={command.busy} onClick={send("status", { status: "pending" })}>{t("actions.pending")}</button>
          : <button className={button} disabled={command.busy} onClick={send("status", { status: "open" })}>{t("actions.setOpen")}</button>)}
        {canAct && conversation.assignee && <button className={button} disabled={command.busy} onClick={send("release")}>{t("actions.release")}</button>}
        {resolved && <button className={primary} disabled={command.busy} onClick={send("reopen")} data-testid="reopen">{t("actions.reopen")}</button>}
      </div>
      {command.error && (
        <p role="alert" data-testid="action-error" className="mx-3 mb-2 rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-red-700 sm:mx-4">{command.error}</p>
      )}
    </>
  );
}

export function ConversationHeader({ conversation, me, agents, teams, onToggleContact }: Props) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const [dialog, setDialog] = useState<DialogName>(null);
  const close = useCallback(() => setDialog(null), []);
  const contact = conversation.contact;
  const holder = conversation.assignee?.name;
  return (
    <header className="shrink-0 border-b border-slate-200 bg-white">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 px-3 py-2 sm:px-4">
        <Link to={`/inbox${params.toString() ? `?${params}` : ""}`} className="-ml-1 rounded-full p-2 text-slate-600 hover:bg-slate-100 md:hidden" aria-label={t("conv.back")}>
          <span aria-hidden>←</span>
        </Link>
        <button type="button" onClick={onToggleContact} className="min-w-0 flex-1 basis-40 text-left" aria-label={t("contact.show")}>
          <h1 className="truncate font-semibold" data-testid="contact-name">{contact?.name || contact?.phone}</h1>
          <p className="truncate text-xs text-slate-500">{contact?.phone}{conversation.team ? ` · ${conversation.team.name}` : ""}</p>
        </button>
        <div className="flex flex-wrap items-center gap-1.5 sm:ml-auto sm:justify-end">
          <span data-testid="holder" className={`rounded-full px-2 py-0.5 text-xs font-semibold ${holder ? "bg-emerald-100 text-emerald-900" : "bg-amber-100 text-amber-900"}`}>
            {holder ? t("conv.attending", { name: holder }) : conversation.team?.name ? t("conv.queue", { team: conversation.team.name }) : t("conv.queueNoTeam")}
          </span>
          <span className="hidden rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700 sm:inline" data-testid="status">{t(`status.${conversation.status}`)}</span>
          <WindowCountdown closesAt={conversation.windowClosesAt} />
          <button type="button" onClick={onToggleContact} data-testid="contact-toggle" title={t("contact.show")}
            className="rounded-full px-2 py-0.5 text-xs font-medium text-wa-dark ring-1 ring-wa-brand/40 hover:bg-emerald-50 xl:hidden">
            {t("conv.contact")}
          </button>
        </div>
      </div>
      <ActionBar conversation={conversation} me={me} onOpen={setDialog} />
      {dialog === "transfer" && <TransferDialog agents={agents} teams={teams} meId={me.id} onClose={close} />}
      {dialog === "resolve" && <ResolveDialog onClose={close} />}
      {dialog === "assign" && <AssignDialog agents={agents} onClose={close} />}
    </header>
  );
}
