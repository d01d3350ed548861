import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { TeamAutomationForm } from "../components/admin/TeamAutomationForm";
import { TeamMembersForm } from "../components/admin/TeamMembersForm";
import { TeamSettingsForm } from "../components/admin/TeamSettingsForm";
import { Card } from "../components/admin/ui";
import { parseTeamForm } from "../lib/admin-team-forms";
import { runTeamIntent } from "../lib/admin-intents.server";
import { timeZoneGroups } from "../lib/admin-timezones";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const { admin } = signedIn.api;
  const isAdmin = signedIn.agent.role === "admin";
  const [teams, agents, workspace] = await adminLoad(request, context, signedIn,
    Promise.all([admin.teams(), admin.agents(), isAdmin ? admin.workspace() : Promise.resolve(null)]));
  const team = teams.find((x) => x.id === params.id);
  if (!team) throw json({ code: "not_found" }, { status: 404 });
  // The SLA overrides are admin-only on the router: supervisors see the team without them.
  const sla = isAdmin ? await adminLoad(request, context, signedIn, Promise.all([admin.teamAutomation(team.id), admin.automation()])) : null;
  return json({
    team, canEdit: isAdmin, zones: timeZoneGroups([team.timeZone]),
    people: agents.map(({ id, name, role, active }) => ({ id, name, role, active })),
    defaultMinutes: workspace ? Math.round(workspace.firstResponseTargetSeconds / 60) : null,
    sla: sla && { team: sla[0], workspace: { csatEnabled: sla[1].csatEnabled, escalationSteps: sla[1].escalationSteps } },
  });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, {
  parse: (form) => (form.get("intent") === "create" ? { ok: false, fields: ["intent"] } : parseTeamForm(form)),
  run: (api, input) => runTeamIntent(api, args.params.id, input),
  conflict: "admin.errors.conflict.name",
});

export default function AdminTeam() {
  const { team, canEdit, zones, people, defaultMinutes, sla } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <div key={team.id} className="space-y-4">
      <Link to="/admin/teams" className="text-sm text-wa-dark hover:underline">← {t("admin.nav.teams")}</Link>
      <PageTitle title={team.name} description={t("admin.teams.pageDescription")} />
      <Card><TeamSettingsForm team={team} zones={zones} canEdit={canEdit} defaultMinutes={defaultMinutes} /></Card>
      {sla && (
        <Card title={t("admin.teams.sla")} description={t("admin.teams.slaDescription")}>
          <TeamAutomationForm teamId={team.id} automation={sla.team} workspace={sla.workspace} />
        </Card>
      )}
      <Card title={t("admin.teams.members")} description={t("admin.teams.membersDescription")}>
        <TeamMembersForm team={team} people={people} canEdit={canEdit} />
      </Card>
    </div>
  );
}

export const ErrorBoundary = AdminRefusal;
