import type { TimeZoneGroups } from "../../lib/admin-timezones";
import type { AdminAgent } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { FormDialog } from "./AdminForm";
import { TimeZoneSelect } from "./TimeZoneSelect";
import { Check, Field, TextInput, fieldClass } from "./ui";

type TeamOption = { id: string; name: string };
type AgentDialogProps = { agent?: AdminAgent; teams: TeamOption[]; zones: TimeZoneGroups; onClose: () => void };

function TeamChoices({ teams, chosen }: { teams: TeamOption[]; chosen: string[] }) {
  const { t } = useI18n();
  if (teams.length === 0) return <p className="text-sm text-slate-500">{t("admin.agents.noTeams")}</p>;
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">{t("admin.field.teamIds")}</legend>
      <div className="mt-1 grid grid-cols-2 gap-2">
        {teams.map((team) => <Check key={team.id} name="teamIds" value={team.id} label={team.name} defaultChecked={chosen.includes(team.id)} />)}
      </div>
    </fieldset>
  );
}

/** Invite (create) or edit one person: role, capacity, teams, skills, time zone and language. */
export function AgentDialog({ agent, teams, zones, onClose }: AgentDialogProps) {
  const { t } = useI18n();
  const editing = agent !== undefined;
  return (
    <FormDialog title={t(editing ? "admin.agents.edit" : "admin.agents.invite")} onClose={onClose} intent={editing ? "update" : "create"}
      submitLabel={t(editing ? "admin.save" : "admin.agents.inviteSubmit")} testId="agent-form">
      {editing && <input type="hidden" name="id" value={agent.id} />}
      <Field name="name" label={t("admin.field.name")}><TextInput name="name" required maxLength={100} defaultValue={agent?.name} autoComplete="off" /></Field>
      <Field name="email" label={t("admin.field.email")}><TextInput name="email" type="email" required maxLength={254} defaultValue={agent?.email} autoComplete="off" /></Field>
      <div className="grid grid-cols-2 gap-3">
        <Field name="role" label={t("admin.field.role")}>
          <select name="role" defaultValue={agent?.role ?? "agent"} className={fieldClass}>
            {(["agent", "supervisor", "admin"] as const).map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
          </select>
        </Field>
        <Field name="capacity" label={t("admin.field.capacity")} hint={t("admin.agents.capacityHint")}>
          <TextInput name="capacity" type="number" min={0} max={100} required defaultValue={agent?.capacity ?? 5} inputMode="numeric" />
        </Field>
      </div>
      <TeamChoices teams={teams} chosen={agent?.teamIds ?? []} />
      <Field name="skills" label={t("admin.field.skills")} hint={t("admin.agents.skillsHint")}>
        <TextInput name="skills" defaultValue={agent?.skills.join(", ")} maxLength={2000} />
      </Field>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field name="timeZone" label={t("admin.field.timeZone")}><TimeZoneSelect zones={zones} defaultValue={agent?.timeZone ?? "America/Mexico_City"} /></Field>
        <Field name="locale" label={t("admin.field.locale")}>
          <select name="locale" defaultValue={agent?.locale ?? "es-419"} className={fieldClass}>
            <option value="es-419">Español</option>
            <option value="en">English</option>
          </select>
        </Field>
      </div>
      {editing
        ? <Check name="active" label={t("admin.agents.active")} hint={t("admin.agents.activeHint")} defaultChecked={agent.active} />
        : (
          <Field name="password" label={t("admin.field.password")} hint={t("admin.agents.passwordHint")}>
            <TextInput name="password" type="password" minLength={8} maxLength={200} autoComplete="new-password" />
          </Field>
        )}
    </FormDialog>
  );
}

export function PasswordDialog({ agent, onClose }: { agent: AdminAgent; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <FormDialog title={t("admin.agents.passwordTitle", { name: agent.name })} onClose={onClose} intent="password" submitLabel={t("admin.save")} testId="password-form">
      <input type="hidden" name="id" value={agent.id} />
      <Field name="password" label={t("admin.field.newPassword")} hint={t("admin.agents.passwordRule")}>
        <TextInput name="password" type="password" required minLength={8} maxLength={200} autoComplete="new-password" />
      </Field>
    </FormDialog>
  );
}
