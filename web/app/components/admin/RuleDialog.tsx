import { useState } from "react";
import type { RoutingRule, RuleKind } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { FormDialog } from "./AdminForm";
import { Field, TextInput, fieldClass } from "./ui";

export const RULE_KINDS: RuleKind[] = ["keyword", "phone_prefix", "menu"];

/** A routing rule: what to match (keyword, phone prefix or bot-menu choice), which team gets it, its territory. */
export function RuleDialog({ rule, teams, onClose }: { rule?: RoutingRule; teams: Array<{ id: string; name: string }>; onClose: () => void }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<RuleKind>(rule?.kind ?? "keyword");
  return (
    <FormDialog title={t(rule ? "admin.rules.edit" : "admin.rules.add")} onClose={onClose} intent={rule ? "update" : "create"}
      submitLabel={t(rule ? "admin.save" : "admin.rules.addSubmit")} testId="rule-form">
      {rule && <input type="hidden" name="id" value={rule.id} />}
      <fieldset className="grid grid-cols-3 gap-2">
        <legend className="mb-1 text-sm font-medium text-slate-700">{t("admin.field.kind")}</legend>
        {RULE_KINDS.map((k) => (
          <label key={k} className={`cursor-pointer rounded-lg border px-2 py-2 text-center text-sm ${kind === k ? "border-wa-brand bg-emerald-50 font-medium" : "border-slate-300"}`}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="sr-only" data-testid={`rule-kind-${k}`} />
            {t(`admin.rules.kind.${k}`)}
          </label>
        ))}
      </fieldset>
      <Field name="pattern" label={t(`admin.rules.pattern.${kind}`)} hint={t(`admin.rules.hint.${kind}`)}>
        <TextInput name="pattern" required maxLength={200} defaultValue={rule?.pattern} data-testid="rule-pattern"
          inputMode={kind === "phone_prefix" ? "numeric" : undefined} pattern={kind === "phone_prefix" ? "\\d{1,15}" : undefined} />
      </Field>
      <Field name="teamId" label={t("admin.field.teamId")}>
        <select name="teamId" required defaultValue={rule?.teamId ?? ""} className={fieldClass} data-testid="rule-team">
          <option value="" disabled>{t("admin.rules.chooseTeam")}</option>
          {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
        </select>
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field name="territory" label={t("admin.field.territory")} hint={t("admin.rules.territoryHint")}>
          <TextInput name="territory" maxLength={100} defaultValue={rule?.territory ?? ""} />
        </Field>
        <Field name="priority" label={t("admin.field.priority")} hint={t("admin.rules.priorityHint")}>
          <TextInput name="priority" type="number" min={0} max={10000} required defaultValue={rule?.priority ?? 100} inputMode="numeric" />
        </Field>
      </div>
    </FormDialog>
  );
}
