import type { AdminApi } from "./admin.server";

/** Counts for the admin overview tiles; the workspace tile only for admins (the router keeps it to them). */
export async function adminOverview(api: AdminApi, isAdmin: boolean) {
  const [agents, teams, rules, templates, channels, workspace] = await Promise.all([
    api.agents(), api.teams(), api.rules(), api.templates(), api.channels(), isAdmin ? api.workspace() : Promise.resolve(null),
  ]);
  return {
    agents: { total: agents.length, active: agents.filter((a) => a.active).length },
    teams: teams.length,
    rules: rules.length,
    templates: { total: templates.length, approved: templates.filter((tpl) => tpl.status === "approved").length },
    channels: { total: channels.length, withoutToken: channels.filter((c) => !c.hasAccessToken).length },
    firstResponseMinutes: workspace ? Math.round(workspace.firstResponseTargetSeconds / 60) : null,
  };
}
