import { and, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { agents, conversations, notes, teams, transfers } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import { assignToAgent, unassign, type Conversation } from "../../assignment/assign.js";
import { autoAssign } from "../../assignment/auto.js";
import { canSupervise, isSupervisor, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { ctxOf } from "../inbound.js";
import { agentName, lockForCommand, requireNotResolved, requireOwnerOrSupervisor, runCommand, type CommandContext, type Deps } from "./run.js";

/** Scenario 7: of two agents claiming at once, the conversation row lock lets exactly one win. */
export async function claimConversation(deps: Deps, actor: Actor, conversationId: string) {
  return runCommand(deps, async ({ tx, events, now }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    if (conv.assigneeId) {
      const name = await agentName(tx, conv.assigneeId);
      const mine = conv.assigneeId === actor.agentId;
      throw new DomainError("already_assigned", mine ? "You already have this conversation" : `Already taken by ${name}`, {
        assignee: { id: conv.assigneeId, name },
      });
    }
    await assignToAgent(tx, events, conv, actor.agentId, { method: "claim", requireOnline: false, assignedBy: actor.agentId, now });
    return conv;
  });
}

async function requireAgentInTenant(tx: Tx, tenantId: string, agentId: string) {
  const [agent] = await tx.select().from(agents).where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
  if (!agent || !agent.active) throw new DomainError("not_found", "Agent not found");
  return agent;
}

async function requireTeamInTenant(tx: Tx, tenantId: string, teamId: string) {
  const [team] = await tx.select().from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, teamId)));
  if (!team) throw new DomainError("not_found", "Team not found");
  return team;
}

/** A supervisor gives a conversation to an agent (scenario 5's manual queue), or takes it over himself. */
export async function assignConversation(deps: Deps, actor: Actor, conversationId: string, agentId: string) {
  return runCommand(deps, async ({ tx, events, now, followUps }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    if (!canSupervise(actor, conv)) throw new DomainError("forbidden", "Only a supervisor of this team can assign it");
    requireNotResolved(conv);
    await requireAgentInTenant(tx, actor.tenantId, agentId);
    const previous = conv.assigneeId;
    await assignToAgent(tx, events, conv, agentId, { method: "manual", requireOnline: false, assignedBy: actor.agentId, now });
    if (previous) followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId: previous });
    return conv;
  });
}

async function recordNote(ctx: CommandContext, actor: Actor, conv: Conversation, body: string): Promise<string> {
  const id = uuidv7();
  await ctx.tx.insert(notes).values({ id, tenantId: conv.tenantId, conversationId: conv.id, cycle: conv.cycle, authorId: actor.agentId, body, createdAt: ctx.now });
  ctx.events.add("note.added", ctxOf(conv, actor.agentId), { cycle: conv.cycle, note_id: id, length: body.length });
  return id;
}

export type TransferInput = { toAgentId?: string | null; toTeamId?: string | null; reason?: string | null; note?: string | null };

/** Hands a conversation to another agent or team with a context note; the receiver sees note and history. */
export async function transferConversation(deps: Deps, actor: Actor, conversationId: string, input: TransferInput) {
  return runCommand(deps, async (ctx) => {
    const { tx, events, now, followUps } = ctx;
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    await requireOwnerOrSupervisor(tx, actor, conv);
    if (!input.toAgentId && !input.toTeamId) throw new DomainError("invalid_input", "Name an agent or a team to transfer to");
    if (input.toAgentId && input.toAgentId === conv.assigneeId) throw new DomainError("invalid_input", "The conversation is already with that agent");
    if (input.toAgentId) await requireAgentInTenant(tx, actor.tenantId, input.toAgentId);
    const toTeam = input.toTeamId ? await requireTeamInTenant(tx, actor.tenantId, input.toTeamId) : null;
    const noteId = input.note ? await recordNote(ctx, actor, conv, input.note) : null;
    const from = { agentId: conv.assigneeId, teamId: conv.teamId };
    if (toTeam) {
      await tx.update(conversations).set({ teamId: toTeam.id }).where(eq(conversations.id, conv.id));
      conv.teamId = toTeam.id;
    }
    await tx.insert(transfers).values({
      id: uuidv7(), tenantId: conv.tenantId, conversationId: conv.id, cycle: conv.cycle, fromAgentId: from.agentId, fromTeamId: from.teamId,
      toAgentId: input.toAgentId ?? null, toTeamId: toTeam?.id ?? null, reason: input.reason ?? null, noteId, createdBy: actor.agentId, createdAt: now,
    });
    events.add("conversation.transferred", ctxOf(conv, actor.agentId), {
      cycle: conv.cycle, from_agent_id: from.agentId, from_team_id: from.teamId, to_agent_id: input.toAgentId ?? null,
      to_team_id: toTeam?.id ?? null, reason: input.reason ?? null, note_id: noteId,
    });
    if (input.toAgentId) {
      await assignToAgent(tx, events, conv, input.toAgentId, { method: "manual", requireOnline: !isSupervisor(actor), assignedBy: actor.agentId, now });
    } else {
      await unassign(tx, conv, now, "transfer");
      const assigned = await autoAssign(tx, events, conv, { now, excludeAgentIds: from.agentId ? [from.agentId] : [] });
      // Left in the team's queue: say the agent no longer has it, or analytics keeps it his (handle time, workload, the
      // stint the transfer ended) until the next assignment. An assignment says so itself.
      if (from.agentId && !assigned) {
        events.add("conversation.unassigned", ctxOf(conv, from.agentId), { cycle: conv.cycle, previous_agent_id: from.agentId, reason: "transfer" });
      }
    }
    if (from.agentId) followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId: from.agentId });
    return conv;
  });
}

/** The assignee (or a supervisor) puts a conversation back in its team's queue. */
export async function releaseConversation(deps: Deps, actor: Actor, conversationId: string) {
  return runCommand(deps, async ({ tx, events, now, followUps }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    await requireOwnerOrSupervisor(tx, actor, conv);
    const previous = conv.assigneeId;
    if (!previous) throw new DomainError("invalid_transition", "The conversation has no assignee");
    await unassign(tx, conv, now, "released");
    events.add("conversation.unassigned", ctxOf(conv, previous), { cycle: conv.cycle, previous_agent_id: previous, reason: "released" });
    followUps.push({ kind: "drain", tenantId: actor.tenantId, teamIds: conv.teamId ? [conv.teamId] : [] });
    return conv;
  });
}
