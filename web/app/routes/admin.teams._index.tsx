import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { TeamCreateDialog } from "../components/admin/TeamCreateDialog";
import { Badge, EmptyState, primaryButton } from "../components/admin/ui";
import { openDays } from "../lib/admin-hours";
import { counted } from "../lib/admin-plural";
import { parseTeamForm } from "../lib/admin-team-forms";
import { runTeamIntent } from "../lib/admin-intents.server";
import { timeZoneGroups, zoneLabel } from "../lib/admin-timezones";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const teams = await adminLoad(request, context, signedIn, signedIn.api.admin.teams());
  return json({ teams, canEdit: signedIn.agent.role === "admin", zones: timeZoneGroups(teams.map((team) => team.timeZone)) });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, {
  parse: (form) => (form.get("intent") === "create" ? parseTeamForm(form) : { ok: false, fields: ["intent"] }),
  run: (api, input) => runTeamIntent(api, undefined, input),
});

export default function AdminTeams() {
  const { teams, canEdit, zones } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [creating, setCreating] = useState(false);
  const close = useCallback(() => setCreating(false), []);
  const add = canEdit && <button type="button" className={primaryButton} onClick={() => setCreating(true)} data-testid="add-team">{t("admin.teams.add")}</button>;
  return (
    <>
      <PageTitle title={t("admin.nav.teams")} description={t("admin.teams.description")} action={teams.length > 0 && add} />
      {teams.length === 0 && <EmptyState title={t("admin.teams.empty")} action={add} />}
      <ul className="grid gap-3 md:grid-cols-2" data-testid="team-list">
        {teams.map((team) => {
          const days = openDays(team.businessHours);
          return (
            <li key={team.id}>
              <Link to={team.id} data-testid="team-card" className="block h-full rounded-2xl bg-white p-4 shadow-sm ring-wa-brand/30 hover:ring-2">
                <p className="flex flex-wrap items-center gap-2 font-semibold text-slate-800">
                  {team.name}
                  {team.isSales && <Badge tone="green">{t("admin.teams.sales")}</Badge>}
                  {team.agentsSeeAll && <Badge>{t("admin.teams.visibility.all")}</Badge>}
                </p>
                <p className="mt-1 text-sm text-slate-600">{t(`admin.strategy.${team.strategy}`)} · {counted(t, "admin.teams.memberCount", team.members.length)}</p>
                <p className="text-sm text-slate-500">
                  {zoneLabel(team.timeZone)} · {team.businessHours === null ? t("admin.teams.alwaysOpen") : days.length === 0 ? t("admin.hours.closed")
                    : days.map((d) => t(`admin.weekdayShort.${d}`)).join(" ")}
                </p>
                {team.firstResponseTargetSeconds !== null && (
                  <p className="text-sm text-slate-500">{t("admin.teams.slaValue", { minutes: Math.round(team.firstResponseTargetSeconds / 60) })}</p>
                )}
              </Link>
            </li>
          );
        })}
      </ul>
      {creating && <TeamCreateDialog zones={zones} onClose={close} />}
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
