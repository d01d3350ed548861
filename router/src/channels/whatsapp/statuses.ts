import { and, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { channels, conversations, earlyStatuses, messages } from "../../db/schema/index.js";
import { inTransaction, type Db, type Tx } from "../../db/index.js";
import { EventBatch } from "../../outbox/append.js";
import type { Clock } from "../../clock.js";

export type DeliveryStatus = "sent" | "delivered" | "read" | "failed";
export type StatusUpdate = { phoneNumberId: string; waMessageId: string; status: DeliveryStatus; at: Date; errorCode: number | null };
type Message = typeof messages.$inferSelect;

const rank: Record<string, number> = { queued: 0, accepted: 1, sent: 2, delivered: 3, read: 4, failed: 5 };
const column = { sent: "sentAt", delivered: "deliveredAt", read: "readAt", failed: "failedAt" } as const;

/**
 * Records one delivery status on an outbound message. Meta sends them out of order and may skip
 * "delivered": each status is stored (and becomes a `message.status` event) once, and the message's
 * current status only moves forward; a read message stays read even if a failure report straggles in.
 */
type MessageStatusUpdate = Omit<StatusUpdate, "phoneNumberId" | "waMessageId"> & { waMessageId: string | null };

export async function applyStatusToMessage(tx: Tx, events: EventBatch, msg: Message, update: MessageStatusUpdate): Promise<boolean> {
  const key = column[update.status];
  if (msg[key]) return false;
  const forward = rank[update.status]! > rank[msg.status]! && !(update.status === "failed" && msg.status === "read");
  await tx.update(messages).set({
    [key]: update.at,
    ...(forward ? { status: update.status } : {}),
    ...(update.status === "failed" ? { errorCode: update.errorCode } : {}),
  }).where(eq(messages.id, msg.id));
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, msg.conversationId));
  events.add("message.status", {
    tenantId: msg.tenantId, conversationId: msg.conversationId, channelId: msg.channelId, contactId: conv?.contactId, agentId: msg.agentId, teamId: conv?.teamId,
  }, { message_id: msg.id, wa_message_id: update.waMessageId, status: update.status, error_code: update.errorCode });
  return true;
}

/** A status webhook: applied to its message, or kept until the send that issued the id is recorded. */
export async function receiveStatus(deps: { db: Db; clock: Clock }, update: StatusUpdate): Promise<"applied" | "duplicate" | "early" | "unknown_channel"> {
  return inTransaction(deps.db, async (tx) => {
    const [channel] = await tx.select({ id: channels.id }).from(channels).where(eq(channels.phoneNumberId, update.phoneNumberId));
    if (!channel) return "unknown_channel";
    const [msg] = await tx.select().from(messages)
      .where(and(eq(messages.channelId, channel.id), eq(messages.waMessageId, update.waMessageId), eq(messages.direction, "outbound")))
      .for("no key update");
    if (!msg) {
      await tx.insert(earlyStatuses).values({ id: uuidv7(), channelId: channel.id, waMessageId: update.waMessageId, status: update.status, errorCode: update.errorCode, at: update.at });
      return "early";
    }
    const events = new EventBatch(deps.clock.now());
    const applied = await applyStatusToMessage(tx, events, msg, update);
    await events.flush(tx);
    return applied ? "applied" : "duplicate";
  });
}

/** Applies statuses that beat the send's own commit, in the order Meta stamped them. */
export async function applyEarlyStatuses(tx: Tx, events: EventBatch, msg: Message): Promise<void> {
  if (!msg.waMessageId) return;
  const early = await tx.delete(earlyStatuses)
    .where(and(eq(earlyStatuses.channelId, msg.channelId), eq(earlyStatuses.waMessageId, msg.waMessageId))).returning();
  let current = msg;
  for (const s of early.sort((a, b) => a.at.getTime() - b.at.getTime())) {
    await applyStatusToMessage(tx, events, current, { waMessageId: s.waMessageId, status: s.status, at: s.at, errorCode: s.errorCode });
    [current] = await tx.select().from(messages).where(eq(messages.id, msg.id)) as [Message];
  }
}
