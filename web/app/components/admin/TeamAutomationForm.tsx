import { useState } from "react";
import type { EscalationStep, TeamAutomation } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { AdminForm, useAdminForm } from "./AdminForm";
import { StepsEditor } from "./WorkspaceForms";
import { Field, fieldClass } from "./ui";

type Props = { teamId: string; automation: TeamAutomation; workspace: { csatEnabled: boolean; escalationSteps: EscalationStep[] } };

/** A team's own escalation ladder and CSAT choice, or the workspace's (shown so the admin sees what applies). */
export function TeamAutomationForm({ teamId, automation, workspace }: Props) {
  const { t } = useI18n();
  const form = useAdminForm(`team-automation-${teamId}`);
  const [custom, setCustom] = useState(automation.escalationSteps !== null);
  const csat = automation.csatEnabled === null ? "inherit" : automation.csatEnabled ? "on" : "off";
  const ladder = workspace.escalationSteps
    .map((s) => t("admin.teams.stepSummary", { minutes: Math.round(s.afterSeconds / 60), action: t(`admin.escalation.${s.action}`) })).join(" · ");
  return (
    <AdminForm form={form} intent="automation" submitLabel={t("admin.save")} savedLabel={t("admin.saved")} testId="team-automation-form">
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="customSteps" checked={custom} onChange={(e) => setCustom(e.target.checked)} data-testid="custom-steps" />
        {t("admin.teams.customSteps")}
      </label>
      {custom
        ? <StepsEditor initial={automation.escalationSteps ?? workspace.escalationSteps} />
        : <p className="text-sm text-slate-500">{t("admin.teams.workspaceSteps", { steps: ladder || t("admin.teams.noSteps") })}</p>}
      <Field name="csat" label={t("admin.workspace.csat")}>
        <select name="csat" defaultValue={csat} className={fieldClass}>
          <option value="inherit">{t("admin.teams.csatInherit", { value: t(workspace.csatEnabled ? "admin.teams.on" : "admin.teams.off") })}</option>
          <option value="on">{t("admin.teams.on")}</option>
          <option value="off">{t("admin.teams.off")}</option>
        </select>
      </Field>
    </AdminForm>
  );
}
