import type { TimeZoneGroups } from "../../lib/admin-timezones";
import { useI18n } from "../../lib/use-i18n";
import { FormDialog } from "./AdminForm";
import { TimeZoneSelect } from "./TimeZoneSelect";
import { Field, TextInput, fieldClass } from "./ui";

/** A new team needs a name; hours, members and the rest are set on its page. */
export function TeamCreateDialog({ zones, onClose }: { zones: TimeZoneGroups; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <FormDialog title={t("admin.teams.add")} onClose={onClose} intent="create" submitLabel={t("admin.teams.addSubmit")} testId="team-create">
      <Field name="name" label={t("admin.field.teamName")}><TextInput name="name" required maxLength={100} /></Field>
      <Field name="timeZone" label={t("admin.field.timeZone")}><TimeZoneSelect zones={zones} defaultValue="America/Mexico_City" /></Field>
      <Field name="strategy" label={t("admin.field.strategy")}>
        <select name="strategy" defaultValue="round_robin" className={fieldClass}>
          {(["round_robin", "least_loaded", "manual"] as const).map((s) => <option key={s} value={s}>{t(`admin.strategy.${s}`)}</option>)}
        </select>
      </Field>
    </FormDialog>
  );
}
