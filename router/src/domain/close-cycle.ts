import { eq } from "drizzle-orm";
import { conversations } from "../db/schema/index.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import { endCurrentAssignment, type Conversation } from "../assignment/assign.js";
import type { outcomes } from "../events/index.js";
import { ctxOf } from "./inbound.js";

export type CycleEnd = {
  outcome: (typeof outcomes)[number];
  dealValue?: number | null; currency?: string | null; lossReason?: string | null;
  resolvedBy: "agent" | "bot" | "automation";
  /** Who acted (the event's agent); the assignee is recorded separately as the one credited. */
  actorId?: string | null;
};

/**
 * Ends a locked conversation's cycle: the assignee's stint ends, the outcome is stored and
 * `conversation.resolved` credits the assignee at this moment. Returns that assignee, whose seat is free.
 */
export async function closeCycle(tx: Tx, events: EventBatch, conv: Conversation, now: Date, end: CycleEnd): Promise<string | null> {
  const assignee = conv.assigneeId;
  await endCurrentAssignment(tx, conv.id, now, end.outcome === "expired" ? "expired" : "resolved");
  await tx.update(conversations).set({
    status: "resolved", resolvedAt: now, resolvedAssigneeId: assignee, assigneeId: null, assignedAt: null, waitingSince: null,
    outcome: end.outcome, dealValue: end.dealValue != null ? end.dealValue.toFixed(2) : null, currency: end.currency ?? null, lossReason: end.lossReason ?? null,
  }).where(eq(conversations.id, conv.id));
  events.add("conversation.resolved", ctxOf(conv, end.actorId ?? assignee), {
    cycle: conv.cycle, outcome: end.outcome, deal_value: end.dealValue ?? null, currency: end.currency ?? null,
    loss_reason: end.lossReason ?? null, resolved_by: end.resolvedBy, assignee_agent_id: assignee,
  });
  return assignee;
}
