import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { conversations, messages } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import type { EventBatch } from "../../outbox/append.js";
import type { Conversation } from "../../assignment/assign.js";
import type { messageKinds } from "../../events/index.js";
import { ctxOf } from "../../domain/inbound.js";

export type Outbound = {
  sender: "agent" | "automation";
  /** The agent who wrote it; null for automation, so per-agent message counts leave it out. */
  agentId: string | null;
  kind: (typeof messageKinds)[number];
  body: string;
  payload: Record<string, unknown> | null;
  templateName: string | null;
};

/**
 * Queues an outbound WhatsApp message durably for the dispatcher, with its `message.sent` event. Only an
 * agent's message answers the customer (clears `waiting_since`); an automated one leaves him waiting.
 */
export async function queueOutbound(tx: Tx, events: EventBatch, conv: Conversation, out: Outbound, now: Date): Promise<string> {
  const id = uuidv7();
  await tx.insert(messages).values({
    id, tenantId: conv.tenantId, conversationId: conv.id, channelId: conv.channelId, cycle: conv.cycle, direction: "outbound",
    sender: out.sender, agentId: out.agentId, kind: out.kind, body: out.body, payload: out.payload, templateName: out.templateName,
    status: "queued", nextAttemptAt: now, createdAt: now,
  });
  const answered = out.sender === "agent" ? { waitingSince: null } : {};
  await tx.update(conversations).set({ ...answered, lastMessageAt: now }).where(eq(conversations.id, conv.id));
  events.add("message.sent", { ...ctxOf(conv), agentId: out.agentId }, {
    cycle: conv.cycle, message_id: id, wa_message_id: null, sender: out.sender, template_name: out.templateName, kind: out.kind, length: out.body.length,
  });
  return id;
}
