import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { agents, teamMembers, type EscalationStep } from "../db/schema/index.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import { tryAssignToAgent, type Conversation } from "../assignment/assign.js";
import { autoAssign } from "../assignment/auto.js";
import { raiseAlert } from "../domain/automation/alerts.js";
import { ctxOf } from "../domain/inbound.js";

export type StepContext = { tx: Tx; events: EventBatch; now: Date };

/**
 * The team's supervisors who are around (online first, then away), or the workspace's supervisors and
 * admins for a conversation without a team. Offline ones are skipped: that would leave the customer hanging.
 */
async function supervisorsFor(tx: Tx, conv: Conversation, exclude: string | null): Promise<string[]> {
  const base = and(eq(agents.tenantId, conv.tenantId), inArray(agents.role, ["supervisor", "admin"]), eq(agents.active, true),
    ne(agents.presence, "offline"), exclude ? ne(agents.id, exclude) : undefined);
  const online = sql`CASE WHEN ${agents.presence} = 'online' THEN 0 ELSE 1 END`;
  if (!conv.teamId) {
    return (await tx.select({ id: agents.id }).from(agents).where(base).orderBy(online, asc(agents.createdAt))).map((r) => r.id);
  }
  const rows = await tx.select({ id: agents.id }).from(teamMembers).innerJoin(agents, eq(agents.id, teamMembers.agentId))
    .where(and(base, eq(teamMembers.teamId, conv.teamId))).orderBy(online, asc(teamMembers.position));
  return rows.map((r) => r.id);
}

async function toSupervisor(ctx: StepContext, conv: Conversation, from: string | null): Promise<string | null> {
  for (const id of await supervisorsFor(ctx.tx, conv, from)) {
    const r = await tryAssignToAgent(ctx.tx, ctx.events, conv, id, { method: "escalation", strategy: null, requireOnline: false, now: ctx.now });
    if (r.ok) return id;
  }
  return null;
}

/** The next available agent by the team's strategy, else a supervisor; null when nobody can take it. */
async function reassign(ctx: StepContext, conv: Conversation, from: string | null): Promise<string | null> {
  const next = await autoAssign(ctx.tx, ctx.events, conv, { now: ctx.now, method: "escalation", excludeAgentIds: from ? [from] : [] });
  return next ?? toSupervisor(ctx, conv, from);
}

export const ruleName = (index: number, step: EscalationStep) => `step ${index + 1}: ${step.action} after ${step.afterSeconds}s`;

/**
 * Takes one escalation step on a locked conversation: maybe a new assignee (method escalation), always an
 * `sla.escalated` event and an alert. Returns the agent who lost the chat, whose freed seat may be drained.
 */
export async function takeStep(ctx: StepContext, conv: Conversation, index: number, step: EscalationStep, waitedSeconds: number) {
  const from = conv.assigneeId;
  const to = step.action === "alert" ? null
    : step.action === "reassign" ? await reassign(ctx, conv, from)
      : await toSupervisor(ctx, conv, from);
  const rule = ruleName(index, step);
  ctx.events.add("sla.escalated", ctxOf(conv, to ?? from), { cycle: conv.cycle, from_agent_id: from, to_agent_id: to, rule });
  await raiseAlert(ctx.tx, {
    kind: "escalated", conv, agentId: to ?? from, now: ctx.now,
    details: { step: index + 1, action: step.action, fromAgentId: from, toAgentId: to, waitedSeconds, rule },
    dedupeKey: `${conv.id}:${conv.cycle}:${conv.waitingSince?.toISOString()}:step${index}`,
  });
  return { from, to, freed: to && from && to !== from ? from : null };
}
