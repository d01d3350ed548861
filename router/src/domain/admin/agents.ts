import { and, eq, isNull } from "drizzle-orm";
import { agents, authTokens } from "../../db/schema/index.js";
import { requireRole, type Actor, type Role } from "../actor.js";
import { DomainError } from "../errors.js";
import { hashPassword } from "../auth/passwords.js";
import { runCommand, type CommandContext, type Deps, type FollowUp } from "../commands/run.js";
import { applyCapacity } from "../agents/presence.js";
import { createAgent } from "./workspace.js";
import { requireAgent, requireFreeEmail } from "./lookup.js";
import { setAgentTeams } from "./memberships.js";
import { loadAgent, type AgentView } from "./agent-queries.js";

export type Locale = "es-419" | "en";
export type AgentInput = {
  email: string; name: string; role?: Role; password?: string; capacity?: number; skills?: string[];
  timeZone?: string; locale?: Locale; teamIds?: string[];
};
export type AgentPatch = Partial<Omit<AgentInput, "password">> & { active?: boolean };
type Result = Promise<{ result: AgentView; followUps: FollowUp[] }>;

/** Agents receive their teams' chats automatically; supervisors and admins join teams to watch them. */
const autoAssignFor = (role: Role) => role === "agent";

/** Admins add people to their workspace, optionally straight into teams. */
export async function addAgent(deps: Deps, actor: Actor, input: AgentInput): Result {
  requireRole(actor, "admin");
  const { teamIds = [], ...fields } = input;
  return runCommand(deps, async ({ tx }) => {
    await requireFreeEmail(tx, fields.email);
    const agent = await createAgent(tx, actor.tenantId, fields);
    await setAgentTeams(tx, actor.tenantId, agent.id, teamIds, autoAssignFor(agent.role));
    return loadAgent(tx, actor.tenantId, agent.id);
  });
}

/** An admin cannot lock himself out: the workspace always keeps the admin who is acting. */
function guardSelf(actor: Actor, agentId: string, patch: AgentPatch): void {
  if (agentId !== actor.agentId) return;
  if (patch.active === false) throw new DomainError("conflict", "You cannot deactivate yourself; ask another admin");
  if (patch.role && patch.role !== actor.role) throw new DomainError("conflict", "You cannot change your own role; ask another admin");
}

/** A deactivated agent goes offline, loses every session and API token, and can no longer sign in. */
async function deactivate(ctx: CommandContext, actor: Actor, agent: typeof agents.$inferSelect): Promise<void> {
  await ctx.tx.update(authTokens).set({ revokedAt: ctx.now }).where(and(eq(authTokens.agentId, agent.id), isNull(authTokens.revokedAt)));
  if (agent.presence === "offline") return;
  await ctx.tx.update(agents).set({ presence: "offline", presenceChangedAt: ctx.now }).where(eq(agents.id, agent.id));
  ctx.events.add("agent.presence_changed", { tenantId: actor.tenantId, agentId: agent.id }, { from: agent.presence, to: "offline", source: "admin" });
}

/**
 * Edits an agent in one transaction, after every check passed. A capacity change is recorded as its event
 * and drains the queue when it grew; a deactivation hands the agent's open chats back to routing.
 */
export async function updateAgent(deps: Deps, actor: Actor, agentId: string, patch: AgentPatch): Result {
  requireRole(actor, "admin");
  guardSelf(actor, agentId, patch);
  const { capacity, teamIds, ...fields } = patch;
  const first = await runCommand(deps, async (ctx) => {
    const agent = await requireAgent(ctx.tx, actor.tenantId, agentId, { lock: true });
    if (fields.email !== undefined) await requireFreeEmail(ctx.tx, fields.email, agentId);
    const changes = { ...fields, ...(fields.email !== undefined ? { email: fields.email.trim().toLowerCase() } : {}) };
    if (Object.keys(changes).length) await ctx.tx.update(agents).set(changes).where(eq(agents.id, agentId));
    if (teamIds) await setAgentTeams(ctx.tx, actor.tenantId, agentId, teamIds, autoAssignFor(fields.role ?? agent.role));
    if (capacity !== undefined) await applyCapacity(ctx, actor.tenantId, agentId, capacity);
    if (fields.active === false && agent.active) {
      await deactivate(ctx, actor, agent);
      ctx.followUps.push({ kind: "reassign", tenantId: actor.tenantId, agentId, reason: "agent_deactivated" });
    }
    if ((fields.active === true && !agent.active) || teamIds) ctx.followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId });
  });
  return { result: await loadAgent(deps.db, actor.tenantId, agentId), followUps: first.followUps };
}

/** An admin sets a new password; the agent's other sessions end (API tokens keep working). */
export async function resetPassword(deps: Deps, actor: Actor, agentId: string, password: string): Promise<void> {
  requireRole(actor, "admin");
  const passwordHash = await hashPassword(password);
  await runCommand(deps, async ({ tx, now }) => {
    await requireAgent(tx, actor.tenantId, agentId, { lock: true });
    await tx.update(agents).set({ passwordHash }).where(eq(agents.id, agentId));
    if (agentId === actor.agentId) return;
    await tx.update(authTokens).set({ revokedAt: now })
      .where(and(eq(authTokens.agentId, agentId), eq(authTokens.kind, "session"), isNull(authTokens.revokedAt)));
  });
}
