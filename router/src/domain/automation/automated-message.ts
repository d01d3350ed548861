import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { conversations, messages } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import type { EventBatch } from "../../outbox/append.js";
import type { Conversation } from "../../assignment/assign.js";
import { describeContent, type OutboundContent } from "../../channels/whatsapp/outbound-content.js";
import { ctxOf } from "../inbound.js";

/**
 * Queues a message the router sends on its own (away message, CSAT survey): a `messages` row the
 * dispatcher picks up, and its `message.sent` event with sender automation. The customer is still waiting
 * for a person, so `waiting_since` is left alone. Free-form content: the caller checks the 24-hour window.
 */
export async function queueAutomatedMessage(
  tx: Tx, events: EventBatch, conv: Conversation, content: Exclude<OutboundContent, { template: unknown }>, now: Date,
): Promise<string> {
  const { kind, body, payload } = describeContent(content);
  const id = uuidv7();
  await tx.insert(messages).values({
    id, tenantId: conv.tenantId, conversationId: conv.id, channelId: conv.channelId, cycle: conv.cycle, direction: "outbound",
    sender: "automation", kind, body, payload, status: "queued", nextAttemptAt: now, createdAt: now,
  });
  await tx.update(conversations).set({ lastMessageAt: now }).where(eq(conversations.id, conv.id));
  // No agent sent it: agent_id stays empty so per-agent message counts do not include it.
  events.add("message.sent", { ...ctxOf(conv), agentId: null }, {
    cycle: conv.cycle, message_id: id, wa_message_id: null, sender: "automation", template_name: null, kind, length: body.length,
  });
  return id;
}
