import { useEffect, useState } from "react";
import type { Presence } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";
import { CsrfField } from "./CsrfField";
import { Dialog, fieldClass, primaryButton, secondaryButton } from "./Dialog";
import { useCommand } from "./use-command";

type AgentOption = { id: string; name: string; presence: Presence };
type TeamOption = { id: string; name: string };

/** Closes the dialog once its command went through; a refusal keeps it open with the reason. */
function useCloseOnSuccess(command: ReturnType<typeof useCommand>, onClose: () => void) {
  const { fetcher } = command;
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) onClose();
  }, [fetcher.state, fetcher.data, onClose]);
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? <p role="alert" className="mb-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p> : null;
}

type CommandDialogProps = {
  intent: "transfer" | "resolve" | "assign";
  title: string;
  submitLabel: string;
  submitTestId?: string;
  onClose: () => void;
  children: React.ReactNode;
};

/** The shell every command dialog shares: its form (CSRF, intent), the refusal line, cancel and submit. */
function CommandDialog({ intent, title, submitLabel, submitTestId, onClose, children }: CommandDialogProps) {
  const { t } = useI18n();
  const command = useCommand(intent);
  useCloseOnSuccess(command, onClose);
  return (
    <Dialog title={title} onClose={onClose}>
      <command.fetcher.Form method="post" className="space-y-3">
        <CsrfField />
        <input type="hidden" name="intent" value={intent} />
        {children}
        <ErrorLine error={command.error} />
        <div className="flex justify-end gap-2">
          <button type="button" onClick={onClose} className={secondaryButton}>{t("actions.cancel")}</button>
          <button type="submit" disabled={command.busy} className={primaryButton} data-testid={submitTestId}>{submitLabel}</button>
        </div>
      </command.fetcher.Form>
    </Dialog>
  );
}

export function TransferDialog({ agents, teams, meId, onClose }: { agents: AgentOption[]; teams: TeamOption[]; meId: string; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <CommandDialog intent="transfer" title={t("transfer.title")} submitLabel={t("transfer.submit")} submitTestId="transfer-submit" onClose={onClose}>
        <label className="block text-sm font-medium">
          {t("transfer.toAgent")} / {t("transfer.toTeam")}
          <select name="target" required defaultValue="" className={fieldClass} data-testid="transfer-target">
            <option value="" disabled>{t("transfer.chooseAgent")}</option>
            <optgroup label={t("transfer.toAgent")}>
              {agents.filter((a) => a.id !== meId).map((a) => (
                <option key={a.id} value={`agent:${a.id}`}>{a.name} · {t(`presence.${a.presence}`)}</option>
              ))}
            </optgroup>
            <optgroup label={t("transfer.toTeam")}>
              {teams.map((team) => <option key={team.id} value={`team:${team.id}`}>{team.name}</option>)}
            </optgroup>
          </select>
        </label>
        <label className="block text-sm font-medium">
          {t("transfer.note")}
          <textarea name="note" rows={3} className={fieldClass} data-testid="transfer-note" />
        </label>
        <label className="block text-sm font-medium">
          {t("transfer.reason")}
          <input name="reason" maxLength={200} className={fieldClass} />
        </label>
    </CommandDialog>
  );
}

export function ResolveDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<"resolved" | "won" | "lost">("resolved");
  return (
    <CommandDialog intent="resolve" title={t("resolve.title")} submitLabel={t("resolve.submit")} submitTestId="resolve-submit" onClose={onClose}>
        <fieldset className="grid grid-cols-3 gap-2">
          <legend className="mb-1 text-sm font-medium">{t("resolve.outcome")}</legend>
          {(["resolved", "won", "lost"] as const).map((o) => (
            <label key={o} className={`cursor-pointer rounded-lg border px-2 py-2 text-center text-sm ${outcome === o ? "border-wa-brand bg-emerald-50 font-medium" : "border-slate-300"}`}>
              <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} className="sr-only" data-testid={`outcome-${o}`} />
              {t(`outcome.${o}`)}
            </label>
          ))}
        </fieldset>
        {outcome === "won" && (
          <div className="grid grid-cols-3 gap-2">
            <label className="col-span-2 block text-sm font-medium">
              {t("resolve.value")}
              <input name="dealValue" type="number" min="0" step="0.01" required inputMode="decimal" className={fieldClass} data-testid="deal-value" />
            </label>
            <label className="block text-sm font-medium">
              {t("resolve.currency")}
              <select name="currency" defaultValue="MXN" className={fieldClass}>
                {["MXN", "USD", "COP", "ARS", "CLP", "PEN", "EUR"].map((c) => <option key={c}>{c}</option>)}
              </select>
            </label>
          </div>
        )}
        {outcome === "lost" && (
          <label className="block text-sm font-medium">
            {t("resolve.reason")}
            <input name="lossReason" required maxLength={200} className={fieldClass} />
          </label>
        )}
    </CommandDialog>
  );
}

export function AssignDialog({ agents, onClose }: { agents: AgentOption[]; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <CommandDialog intent="assign" title={t("assign.title")} submitLabel={t("assign.submit")} onClose={onClose}>
        <select name="agentId" required defaultValue="" className={fieldClass}>
          <option value="" disabled>{t("transfer.chooseAgent")}</option>
          {agents.map((a) => <option key={a.id} value={a.id}>{a.name} · {t(`presence.${a.presence}`)}</option>)}
        </select>
    </CommandDialog>
  );
}
