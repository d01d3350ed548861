import { useState } from "react";
import { defaultWeek, toEditorWeek } from "../../lib/admin-hours";
import type { TimeZoneGroups } from "../../lib/admin-timezones";
import type { AdminTeam, Strategy } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { AdminForm, useAdminForm } from "./AdminForm";
import { BusinessHoursEditor } from "./BusinessHoursEditor";
import { HolidaysEditor } from "./HolidaysEditor";
import { TimeZoneSelect } from "./TimeZoneSelect";
import { Check, Field, TextInput, fieldClass } from "./ui";

const STRATEGIES: Strategy[] = ["round_robin", "least_loaded", "manual"];
const sectionTitle = "text-sm font-semibold uppercase tracking-wide text-slate-500";

function Schedule({ team, zones }: { team: AdminTeam; zones: TimeZoneGroups }) {
  const { t } = useI18n();
  const [alwaysOpen, setAlwaysOpen] = useState(team.businessHours === null);
  return (
    <section className="space-y-3">
      <h3 className={sectionTitle}>{t("admin.teams.schedule")}</h3>
      <Field name="timeZone" label={t("admin.field.timeZone")}><TimeZoneSelect zones={zones} defaultValue={team.timeZone} testId="team-timezone" /></Field>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="alwaysOpen" checked={alwaysOpen} onChange={(e) => setAlwaysOpen(e.target.checked)} data-testid="always-open" />
        {t("admin.teams.alwaysOpen")}
      </label>
      {!alwaysOpen && (
        <Field name="businessHours" label={t("admin.field.businessHours")} group>
          <BusinessHoursEditor initial={team.businessHours === null ? defaultWeek() : toEditorWeek(team.businessHours)} />
        </Field>
      )}
      <Field name="holidays" label={t("admin.field.holidays")} hint={t("admin.teams.holidaysHint")} group>
        <HolidaysEditor initial={team.holidays} />
      </Field>
      <Field name="awayMessage" label={t("admin.field.awayMessage")} hint={t("admin.teams.awayHint")}>
        <textarea name="awayMessage" rows={3} maxLength={1000} defaultValue={team.awayMessage ?? ""} className={fieldClass} />
      </Field>
    </section>
  );
}

function Assignment({ team, defaultMinutes }: { team: AdminTeam; defaultMinutes: number | null }) {
  const { t } = useI18n();
  return (
    <section className="space-y-3">
      <h3 className={sectionTitle}>{t("admin.teams.assignment")}</h3>
      <Field name="strategy" label={t("admin.field.strategy")}>
        <select name="strategy" defaultValue={team.strategy} className={fieldClass}>
          {STRATEGIES.map((s) => <option key={s} value={s}>{t(`admin.strategy.${s}`)}</option>)}
        </select>
      </Field>
      <Check name="sticky" label={t("admin.teams.sticky")} hint={t("admin.teams.stickyHint")} defaultChecked={team.sticky} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("admin.field.visibility")}</legend>
        {(["team", "all"] as const).map((v) => (
          <label key={v} className="mt-1 flex items-center gap-2 text-sm text-slate-700">
            <input type="radio" name="visibility" value={v} defaultChecked={team.agentsSeeAll === (v === "all")} />
            {t(`admin.teams.visibility.${v}`)}
          </label>
        ))}
      </fieldset>
      <Check name="isSales" label={t("admin.teams.isSales")} hint={t("admin.teams.isSalesHint")} defaultChecked={team.isSales} />
      <Field name="firstResponseMinutes" label={t("admin.field.firstResponseMinutes")}
        hint={defaultMinutes === null ? t("admin.teams.slaHintPlain") : t("admin.teams.slaHint", { minutes: defaultMinutes })}>
        <TextInput name="firstResponseMinutes" type="number" min={1} max={10080} inputMode="numeric" data-testid="team-sla"
          defaultValue={team.firstResponseTargetSeconds === null ? "" : Math.round(team.firstResponseTargetSeconds / 60)} />
      </Field>
    </section>
  );
}

/** A team's settings in one form: name, assignment, schedule (hours, holidays, away message) and its SLA target. */
export function TeamSettingsForm({ team, zones, canEdit, defaultMinutes }: { team: AdminTeam; zones: TimeZoneGroups; canEdit: boolean; defaultMinutes: number | null }) {
  const { t } = useI18n();
  const form = useAdminForm(`team-${team.id}`);
  return (
    <AdminForm form={form} intent="settings" submitLabel={t("admin.save")} savedLabel={t("admin.saved")} testId="team-form" disabled={!canEdit} className="space-y-5">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="name" label={t("admin.field.teamName")}><TextInput name="name" required maxLength={100} defaultValue={team.name} /></Field>
        <Field name="department" label={t("admin.field.department")}><TextInput name="department" maxLength={100} defaultValue={team.department ?? ""} /></Field>
      </div>
      <div className="grid gap-6 lg:grid-cols-[1fr_1.4fr]">
        <Assignment team={team} defaultMinutes={defaultMinutes} />
        <Schedule team={team} zones={zones} />
      </div>
    </AdminForm>
  );
}
