import type { AdminApi } from "./admin.server";
import { agentBody, channelBody, ruleBody, templateBody, type AgentIntent, type ChannelIntent, type RuleIntent, type TemplateIntent } from "./admin-forms";
import type { TeamIntent, WorkspaceIntent } from "./admin-team-forms";

/** One router call per admin intent. The pages' actions parse the form, then hand the intent here. */
export function runAgentIntent(api: AdminApi, input: AgentIntent): Promise<unknown> {
  switch (input.intent) {
    case "create": return api.addAgent({ ...agentBody(input), password: input.password });
    case "update": return api.updateAgent(input.id, agentBody(input));
    case "password": return api.setPassword(input.id, input.password);
  }
}

export function runRuleIntent(api: AdminApi, input: RuleIntent): Promise<unknown> {
  switch (input.intent) {
    case "create": return api.addRule(ruleBody(input));
    case "update": return api.updateRule(input.id, ruleBody(input));
    case "delete": return api.deleteRule(input.id);
  }
}

export function runTemplateIntent(api: AdminApi, input: TemplateIntent): Promise<unknown> {
  switch (input.intent) {
    case "create": return api.addTemplate(templateBody(input));
    case "update": return api.updateTemplate(input.id, templateBody(input));
    case "delete": return api.deleteTemplate(input.id);
  }
}

/** Rotating sends only the new token; the router seals it and never returns it. */
export function runChannelIntent(api: AdminApi, input: ChannelIntent): Promise<unknown> {
  switch (input.intent) {
    case "create": return api.addChannel(channelBody(input));
    case "update": return api.updateChannel(input.id, channelBody(input));
    case "rotate": return api.updateChannel(input.id, { accessToken: input.accessToken });
  }
}

/** The teams list creates; a team's page saves its settings or its members (`teamId` from the URL). */
export function runTeamIntent(api: AdminApi, teamId: string | undefined, input: TeamIntent): Promise<unknown> {
  switch (input.intent) {
    case "create": return api.addTeam({ name: input.name, timeZone: input.timeZone, strategy: input.strategy });
    case "settings": return api.updateTeam(teamId!, input.body);
    case "members": return api.setMembers(teamId!, input.members);
    case "automation": return api.updateTeamAutomation(teamId!, input.body);
  }
}

export function runWorkspaceIntent(api: AdminApi, input: WorkspaceIntent): Promise<unknown> {
  return input.intent === "workspace" ? api.updateWorkspace(input.body) : api.updateAutomation(input.body);
}
