import { and, eq, sql } from "drizzle-orm";
import { channels, contacts, conversations, messages } from "../../db/schema/index.js";
import { inTransaction, type Db } from "../../db/index.js";
import { EventBatch } from "../../outbox/append.js";
import type { Clock } from "../../clock.js";
import { sendToGraph, type SendOutcome } from "./graph-client.js";
import { graphRequestFor } from "./graph-message.js";
import { PerNumberRateLimiter } from "./rate-limiter.js";
import { unseal } from "./secret-box.js";
import { applyEarlyStatuses, applyStatusToMessage } from "./statuses.js";

export type DispatcherDeps = { db: Db; clock: Clock; secretKey: string; log?: (msg: string, fields?: Record<string, unknown>) => void };

export const MAX_SEND_ATTEMPTS = 8;
const LEASE_MS = 60_000;
const BATCH = 50;

/** 1 s, 2 s, 4 s … capped at 5 minutes, with jitter so retries from many chats do not arrive together. */
export function backoffMs(attempt: number, random = Math.random): number {
  return Math.min(300_000, 1000 * 2 ** (attempt - 1)) * (0.75 + random() * 0.5);
}

type Claimed = { id: string; attempts: number; phone: string; channel: typeof channels.$inferSelect };

/**
 * Claims due messages by state: the oldest queued message of each conversation only (so a chat's messages
 * leave in order), leased for a minute so a crashed sender's messages are picked up again.
 */
async function claimDue(deps: DispatcherDeps): Promise<Claimed[]> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const due = await tx.execute<{ id: string }>(sql`
      SELECT m.id FROM messages m
      WHERE m.status = 'queued' AND m.next_attempt_at <= ${now.toISOString()}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = m.conversation_id AND p.status = 'queued'
                        AND (p.created_at, p.id) < (m.created_at, m.id))
      ORDER BY m.next_attempt_at LIMIT ${BATCH} FOR NO KEY UPDATE OF m SKIP LOCKED`);
    const claimed: Claimed[] = [];
    for (const { id } of due) {
      const [row] = await tx.update(messages).set({ attempts: sql`${messages.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
        .where(eq(messages.id, id)).returning({ id: messages.id, attempts: messages.attempts, conversationId: messages.conversationId, channelId: messages.channelId });
      const [target] = await tx.select({ phone: contacts.phone, channel: channels }).from(conversations)
        .innerJoin(contacts, eq(contacts.id, conversations.contactId)).innerJoin(channels, eq(channels.id, conversations.channelId))
        .where(eq(conversations.id, row!.conversationId));
      claimed.push({ id, attempts: row!.attempts, phone: target!.phone, channel: target!.channel });
    }
    return claimed;
  });
}

async function recordOutcome(deps: DispatcherDeps, claimed: Claimed, outcome: SendOutcome): Promise<void> {
  await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const events = new EventBatch(now);
    const [msg] = await tx.select().from(messages).where(and(eq(messages.id, claimed.id), eq(messages.status, "queued"))).for("no key update");
    if (!msg) return;
    if (outcome.kind === "accepted") {
      const [updated] = await tx.update(messages).set({ status: "accepted", waMessageId: outcome.waMessageId, nextAttemptAt: null, lastError: null })
        .where(eq(messages.id, msg.id)).returning();
      await applyEarlyStatuses(tx, events, updated!);
    } else if (outcome.kind === "retry" && claimed.attempts < MAX_SEND_ATTEMPTS) {
      const delay = outcome.retryAfterMs ?? backoffMs(claimed.attempts);
      await tx.update(messages).set({ nextAttemptAt: new Date(now.getTime() + delay), lastError: outcome.message }).where(eq(messages.id, msg.id));
    } else {
      await tx.update(messages).set({ lastError: outcome.message, nextAttemptAt: null }).where(eq(messages.id, msg.id));
      await applyStatusToMessage(tx, events, msg, { waMessageId: null, status: "failed", at: now, errorCode: outcome.code });
    }
    await events.flush(tx);
  });
}

async function sendOne(deps: DispatcherDeps, limiter: PerNumberRateLimiter, claimed: Claimed): Promise<SendOutcome> {
  const { channel } = claimed;
  if (!channel.accessTokenSealed) return { kind: "retry", code: null, message: "No WhatsApp access token is configured for this number" };
  for (let wait = limiter.take(channel.id, channel.sendRatePerSecond, Date.now()); wait > 0; wait = limiter.take(channel.id, channel.sendRatePerSecond, Date.now())) {
    await new Promise((r) => setTimeout(r, wait));
  }
  const [msg] = await deps.db.select().from(messages).where(eq(messages.id, claimed.id));
  const accessToken = unseal(channel.accessTokenSealed, deps.secretKey);
  return sendToGraph({ baseUrl: channel.graphApiBaseUrl, version: channel.graphApiVersion, phoneNumberId: channel.phoneNumberId, accessToken }, graphRequestFor(msg!, claimed.phone));
}

/** One round: claim what is due, send it (different chats in parallel), record each outcome durably. */
export async function dispatchDueMessages(deps: DispatcherDeps, limiter = new PerNumberRateLimiter()) {
  const claimed = await claimDue(deps);
  const tally = { claimed: claimed.length, accepted: 0, retried: 0, failed: 0 };
  await Promise.all(claimed.map(async (c) => {
    const outcome = await sendOne(deps, limiter, c);
    await recordOutcome(deps, c, outcome);
    if (outcome.kind === "accepted") tally.accepted++;
    else if (outcome.kind === "retry" && c.attempts < MAX_SEND_ATTEMPTS) tally.retried++;
    else tally.failed++;
    if (outcome.kind !== "accepted") deps.log?.("whatsapp send not accepted", { messageId: c.id, attempt: c.attempts, outcome });
  }));
  return tally;
}

/** The background sender: polls for due messages; `nudge()` after a reply makes it go at once. */
export function startDispatcher(deps: DispatcherDeps, intervalMs = 500) {
  const limiter = new PerNumberRateLimiter();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let queued = false;
  const tick = () => {
    if (stopped || queued) return;
    queued = true;
    clearTimeout(timer);
    running = running.then(() => { queued = false; return dispatchDueMessages(deps, limiter); })
      .catch((e) => deps.log?.("dispatcher round failed", { error: String(e) }))
      .finally(() => { if (!stopped && !queued) timer = setTimeout(tick, intervalMs); });
  };
  timer = setTimeout(tick, 0);
  return { nudge: tick, stop: async () => { stopped = true; clearTimeout(timer); await running; } };
}
