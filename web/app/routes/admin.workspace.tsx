import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { AutomationForm, WorkspaceSettingsForm } from "../components/admin/WorkspaceForms";
import { Card } from "../components/admin/ui";
import { parseWorkspaceForm } from "../lib/admin-team-forms";
import { runWorkspaceIntent } from "../lib/admin-intents.server";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import { useI18n } from "../lib/use-i18n";

/** Workspace settings and SLA targets: admins only (the router keeps them to admins too). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context, { adminOnly: true });
  const { admin } = signedIn.api;
  const [settings, automation, teams] = await adminLoad(request, context, signedIn, Promise.all([admin.workspace(), admin.automation(), admin.teams()]));
  return json({ settings, automation, teams: teams.map(({ id, name }) => ({ id, name })) });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, { parse: parseWorkspaceForm, run: runWorkspaceIntent });

export default function AdminWorkspace() {
  const { settings, automation, teams } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  return (
    <>
      <PageTitle title={t("admin.nav.workspace")} description={t("admin.workspace.description")} />
      <Card title={t("admin.workspace.general")}><WorkspaceSettingsForm settings={settings} teams={teams} /></Card>
      <Card title={t("admin.workspace.sla")} description={t("admin.workspace.slaDescription")}><AutomationForm automation={automation} /></Card>
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
