import type { Tx } from "../../db/index.js";
import type { EventBatch } from "../../outbox/append.js";
import type { Conversation } from "../../assignment/assign.js";
import { describeContent, type OutboundContent } from "../../channels/whatsapp/outbound-content.js";
import { queueOutbound } from "../../channels/whatsapp/outbound-queue.js";

/**
 * Queues a message the router sends on its own (away message, CSAT survey): a `messages` row the
 * dispatcher picks up, and its `message.sent` event with sender automation. The customer is still waiting
 * for a person, so `waiting_since` is left alone. Free-form content: the caller checks the 24-hour window.
 */
export async function queueAutomatedMessage(
  tx: Tx, events: EventBatch, conv: Conversation, content: Exclude<OutboundContent, { template: unknown }>, now: Date,
): Promise<string> {
  const { kind, body, payload } = describeContent(content);
  return queueOutbound(tx, events, conv, { sender: "automation", agentId: null, kind, body, payload, templateName: null }, now);
}
