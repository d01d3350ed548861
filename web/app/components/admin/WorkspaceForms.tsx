import { useState } from "react";
import type { EscalationStep, WorkspaceAutomation, WorkspaceSettings } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { AdminForm, useAdminForm } from "./AdminForm";
import { Check, Field, TextInput, fieldClass, linkButton, smallFieldClass } from "./ui";

const ACTIONS: EscalationStep["action"][] = ["alert", "reassign", "supervisor"];
const round = (seconds: number, unit: number) => Math.round(seconds / unit);

/** Name, reopen window, the workspace's first-response target, and where unmatched chats go. */
export function WorkspaceSettingsForm({ settings, teams }: { settings: WorkspaceSettings; teams: Array<{ id: string; name: string }> }) {
  const { t } = useI18n();
  const form = useAdminForm("workspace");
  return (
    <AdminForm form={form} intent="workspace" submitLabel={t("admin.save")} savedLabel={t("admin.saved")} testId="workspace-form">
      <Field name="name" label={t("admin.field.workspaceName")}><TextInput name="name" required maxLength={100} defaultValue={settings.name} /></Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="firstResponseMinutes" label={t("admin.field.firstResponseMinutes")} hint={t("admin.workspace.slaHint")}>
          <TextInput name="firstResponseMinutes" type="number" min={1} max={10080} required inputMode="numeric" data-testid="workspace-sla"
            defaultValue={round(settings.firstResponseTargetSeconds, 60)} />
        </Field>
        <Field name="reopenWindowDays" label={t("admin.field.reopenWindowDays")} hint={t("admin.workspace.reopenHint")}>
          <TextInput name="reopenWindowDays" type="number" min={0} max={365} required inputMode="numeric" defaultValue={round(settings.reopenWindowSeconds, 86400)} />
        </Field>
      </div>
      <Field name="defaultTeamId" label={t("admin.field.defaultTeamId")} hint={t("admin.workspace.defaultTeamHint")}>
        <select name="defaultTeamId" defaultValue={settings.defaultTeamId ?? ""} className={fieldClass}>
          <option value="">{t("admin.workspace.noDefaultTeam")}</option>
          {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
        </select>
      </Field>
    </AdminForm>
  );
}

export function StepsEditor({ initial }: { initial: EscalationStep[] }) {
  const { t } = useI18n();
  const [steps, setSteps] = useState(() => initial.map((s) => ({ minutes: String(round(s.afterSeconds, 60)), action: s.action })));
  return (
    <fieldset data-testid="escalation-steps">
      <legend className="text-sm font-medium text-slate-700">{t("admin.field.escalationSteps")}</legend>
      <p className="text-xs text-slate-500">{t("admin.workspace.stepsHint")}</p>
      <ol className="mt-2 space-y-2">
        {steps.map((step, i) => (
          <li key={i} className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-500">{t("admin.workspace.after")}</span>
            <input name="stepAfterMinutes" type="number" min={1} max={10080} required value={step.minutes} inputMode="numeric"
              onChange={(e) => setSteps(steps.map((s, j) => (j === i ? { ...s, minutes: e.target.value } : s)))}
              aria-label={t("admin.workspace.minutes")} className={`${smallFieldClass} w-20`} />
            <span className="text-slate-500">{t("admin.workspace.minutes")}</span>
            <select name="stepAction" value={step.action} aria-label={t("admin.workspace.action")}
              onChange={(e) => setSteps(steps.map((s, j) => (j === i ? { ...s, action: e.target.value as EscalationStep["action"] } : s)))}
              className={`${smallFieldClass} min-w-0 flex-1`}>
              {ACTIONS.map((a) => <option key={a} value={a}>{t(`admin.escalation.${a}`)}</option>)}
            </select>
            <button type="button" onClick={() => setSteps(steps.filter((_, j) => j !== i))} aria-label={t("admin.hours.remove")}
              className="rounded-full px-2 py-1 text-slate-400 hover:bg-red-50 hover:text-red-600">✕</button>
          </li>
        ))}
      </ol>
      {steps.length < 10 && (
        <button type="button" className={`${linkButton} mt-1`}
          onClick={() => setSteps([...steps, { minutes: String(Number(steps[steps.length - 1]?.minutes ?? 0) + 10), action: "alert" }])}>
          + {t("admin.workspace.addStep")}
        </button>
      )}
    </fieldset>
  );
}

/** SLA escalation, CSAT and the inactivity clocks that set agents away. */
export function AutomationForm({ automation }: { automation: WorkspaceAutomation }) {
  const { t } = useI18n();
  const form = useAdminForm("automation");
  return (
    <AdminForm form={form} intent="automation" submitLabel={t("admin.save")} savedLabel={t("admin.saved")} testId="automation-form">
      <StepsEditor initial={automation.escalationSteps} />
      <Check name="csatEnabled" label={t("admin.workspace.csat")} hint={t("admin.workspace.csatHint")} defaultChecked={automation.csatEnabled} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="pendingExpiryHours" label={t("admin.field.pendingExpiryHours")}>
          <TextInput name="pendingExpiryHours" type="number" min={1} max={2160} required defaultValue={round(automation.pendingExpirySeconds, 3600)} />
        </Field>
        <Field name="idleTimeoutMinutes" label={t("admin.field.idleTimeoutMinutes")}>
          <TextInput name="idleTimeoutMinutes" type="number" min={1} max={1440} required defaultValue={round(automation.idleTimeoutSeconds, 60)} />
        </Field>
        <Field name="disconnectTimeoutSeconds" label={t("admin.field.disconnectTimeoutSeconds")}>
          <TextInput name="disconnectTimeoutSeconds" type="number" min={30} max={86400} required defaultValue={automation.disconnectTimeoutSeconds} />
        </Field>
        <Field name="reassignGraceSeconds" label={t("admin.field.reassignGraceSeconds")}>
          <TextInput name="reassignGraceSeconds" type="number" min={0} max={86400} required defaultValue={automation.reassignGraceSeconds} />
        </Field>
      </div>
    </AdminForm>
  );
}
