import { and, eq, ne } from "drizzle-orm";
import { conversations } from "../../db/schema/index.js";
import { assignToAgent } from "../../assignment/assign.js";
import { closeCycle } from "../close-cycle.js";
import { autoAssign } from "../../assignment/auto.js";
import { isSupervisor, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { ctxOf } from "../inbound.js";
import { requestCsatOnResolve } from "../automation/csat.js";
import { lockForCommand, requireNotResolved, requireOwnerOrSupervisor, runCommand, type Deps } from "./run.js";

export async function setConversationStatus(deps: Deps, actor: Actor, conversationId: string, status: "open" | "pending") {
  return runCommand(deps, async ({ tx, events }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    await requireOwnerOrSupervisor(tx, actor, conv);
    if (conv.status === status) return conv;
    const from = conv.status as "open" | "pending";
    await tx.update(conversations).set({ status }).where(eq(conversations.id, conv.id));
    events.add("conversation.status_changed", ctxOf(conv, actor.agentId), { cycle: conv.cycle, from, to: status });
    conv.status = status;
    return conv;
  });
}

export type ResolveInput =
  | { outcome: "resolved" }
  | { outcome: "won"; dealValue: number; currency: string }
  | { outcome: "lost"; lossReason: string };

/** Ends the cycle. Resolution and conversion are attributed to the assignee at this moment. */
export async function resolveConversation(deps: Deps, actor: Actor, conversationId: string, input: ResolveInput) {
  return runCommand(deps, async ({ tx, events, now, followUps }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    await requireOwnerOrSupervisor(tx, actor, conv);
    const won = input.outcome === "won" ? input : null;
    const lost = input.outcome === "lost" ? input : null;
    const assignee = await closeCycle(tx, events, conv, now, {
      outcome: input.outcome, dealValue: won?.dealValue, currency: won?.currency, lossReason: lost?.lossReason,
      resolvedBy: "agent", actorId: actor.agentId,
    });
    if (assignee) followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId: assignee });
    await requestCsatOnResolve({ tx, events, now, followUps }, conv, input.outcome, assignee);
    return { ...conv, status: "resolved" as const, assigneeId: null, resolvedAssigneeId: assignee };
  });
}

/** An agent reopens a resolved conversation and takes it; a supervisor reopens it into its team's routing. */
export async function reopenConversation(deps: Deps, actor: Actor, conversationId: string) {
  return runCommand(deps, async ({ tx, events, now }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    if (conv.status !== "resolved") throw new DomainError("conversation_not_resolved", "Only a resolved conversation can be reopened");
    const [live] = await tx.select({ id: conversations.id }).from(conversations).where(and(
      eq(conversations.channelId, conv.channelId), eq(conversations.contactId, conv.contactId), ne(conversations.status, "resolved")));
    if (live) throw new DomainError("conflict", "This contact already has an open conversation", { conversationId: live.id });
    const cycle = conv.cycle + 1;
    await tx.update(conversations).set({
      status: "open", cycle, cycleStartedAt: now, outcome: null, dealValue: null, currency: null, lossReason: null,
    }).where(eq(conversations.id, conv.id));
    events.add("conversation.reopened", ctxOf(conv, actor.agentId), {
      cycle, reopened_by: "agent", previous_resolved_at: conv.resolvedAt!.toISOString(), previous_resolved_by_agent_id: conv.resolvedAssigneeId,
    });
    Object.assign(conv, { status: "open", cycle, cycleStartedAt: now });
    if (isSupervisor(actor)) await autoAssign(tx, events, conv, { now, preferAgentId: conv.resolvedAssigneeId });
    else await assignToAgent(tx, events, conv, actor.agentId, { method: "claim", requireOnline: false, assignedBy: actor.agentId, now });
    return conv;
  });
}

export async function tagConversation(deps: Deps, actor: Actor, conversationId: string, tag: string, action: "added" | "removed") {
  return runCommand(deps, async ({ tx, events }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    await requireOwnerOrSupervisor(tx, actor, conv);
    const has = conv.tags.includes(tag);
    if ((action === "added") === has) return conv;
    const tags = action === "added" ? [...conv.tags, tag] : conv.tags.filter((t) => t !== tag);
    await tx.update(conversations).set({ tags }).where(eq(conversations.id, conv.id));
    events.add("conversation.tagged", ctxOf(conv, actor.agentId), { cycle: conv.cycle, tag, action });
    conv.tags = tags;
    return conv;
  });
}
