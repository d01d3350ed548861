import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { AgentDialog, PasswordDialog } from "../components/admin/AgentDialogs";
import { AgentList } from "../components/admin/AgentList";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { primaryButton } from "../components/admin/ui";
import { parseAgentForm } from "../lib/admin-forms";
import { runAgentIntent } from "../lib/admin-intents.server";
import { timeZoneGroups } from "../lib/admin-timezones";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import type { AdminAgent } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const { api } = signedIn;
  const [agents, teams] = await adminLoad(request, context, signedIn, Promise.all([api.admin.agents(), api.admin.teams()]));
  return json({
    agents, teams: teams.map(({ id, name }) => ({ id, name })), canEdit: signedIn.agent.role === "admin",
    zones: timeZoneGroups(agents.map((a) => a.timeZone)),
  });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, { parse: parseAgentForm, run: runAgentIntent });

type Open = { kind: "create" } | { kind: "edit" | "password"; agent: AdminAgent } | null;

export default function AdminAgents() {
  const { agents, teams, canEdit, zones } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [open, setOpen] = useState<Open>(null);
  const close = useCallback(() => setOpen(null), []);
  return (
    <>
      <PageTitle title={t("admin.nav.agents")} description={t("admin.agents.description")}
        action={canEdit && <button type="button" className={primaryButton} onClick={() => setOpen({ kind: "create" })} data-testid="invite-agent">{t("admin.agents.invite")}</button>} />
      <AgentList agents={agents} teams={teams} canEdit={canEdit}
        onEdit={(agent) => setOpen({ kind: "edit", agent })} onPassword={(agent) => setOpen({ kind: "password", agent })} />
      {open?.kind === "create" && <AgentDialog teams={teams} zones={zones} onClose={close} />}
      {open?.kind === "edit" && <AgentDialog agent={open.agent} teams={teams} zones={zones} onClose={close} />}
      {open?.kind === "password" && <PasswordDialog agent={open.agent} onClose={close} />}
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
