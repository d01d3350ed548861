import { sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import type { Random } from "../channels/whatsapp/simulator/types.js";
import type { HistoryApi } from "./client.js";
import type { Timeline } from "./timeline.js";
import { MINUTE_MS } from "./calendar.js";

type Status = { id: string; status: "sent" | "delivered" | "read" | "failed"; at: number; to: string; errorCode?: number };
type Accepted = { id: string; wa_message_id: string; phone: string; sender: string; template_name: string | null };

// Meta's codes for an undeliverable message and for a message outside the 24-hour window (rare, but real).
const UNDELIVERABLE = 131026;
const FAILURE_SHARE = 0.02;
const TEMPLATE_FAILURE_SHARE = 0.08;
const READ_SHARE = 0.78;
// Statuses are reported in one webhook per five simulated minutes (Meta batches them too).
const FLUSH_EVERY_MS = 5 * MINUTE_MS;

/**
 * The generator plays Meta: it accepts the messages the router queued (what the dispatcher records when the
 * Graph API answers with an id) and later calls back with delivery statuses as signed webhooks, batched every
 * few minutes like Meta batches them. The live dispatcher never sees these messages.
 */
export class SimulatedMeta {
  private buffer: Status[] = [];
  private flushAt = new Set<number>();
  private seq = 0;
  sent = 0;

  constructor(private readonly deps: { db: Db; api: HistoryApi; timeline: Timeline; tenantId: string; phoneNumberId: string }) {}

  /** Accepts the conversation's queued outbound messages (replies, away message, survey) and plans their statuses. */
  async acceptQueued(conversationId: string, random: Random): Promise<number> {
    const now = this.deps.timeline.now;
    const rows = await this.deps.db.execute<Accepted>(sql`
      UPDATE messages m SET status = 'accepted', next_attempt_at = NULL,
        wa_message_id = 'wamid.HIST' || replace(m.id::text, '-', '') || ${String(++this.seq)}
      FROM conversations c JOIN contacts k ON k.id = c.contact_id
      WHERE m.conversation_id = ${conversationId} AND c.id = m.conversation_id AND m.status = 'queued' AND m.direction = 'outbound'
        AND m.created_at <= ${new Date(now).toISOString()}::timestamptz
      RETURNING m.id, m.wa_message_id, k.phone, m.sender, m.template_name`);
    for (const row of rows) this.plan(row, now, random);
    this.sent += rows.length;
    return rows.length;
  }

  /** Delivered (or, rarely, failed) seconds later and often read; Meta's separate "sent" callback is left out to halve the work. */
  private plan(row: Accepted, now: number, r: Random) {
    const sentAt = now + 1000 + Math.floor(r() * 3000);
    if (r() < (row.template_name ? TEMPLATE_FAILURE_SHARE : FAILURE_SHARE)) {
      this.add({ id: row.wa_message_id, status: "failed", at: sentAt + 2000, to: row.phone, errorCode: UNDELIVERABLE });
      return;
    }
    const deliveredAt = sentAt + 2000 + Math.floor(r() * 20_000);
    this.add({ id: row.wa_message_id, status: "delivered", at: deliveredAt, to: row.phone });
    if (r() < READ_SHARE) this.add({ id: row.wa_message_id, status: "read", at: deliveredAt + Math.floor(r() * r() * 90 * MINUTE_MS), to: row.phone });
  }

  private add(status: Status) {
    this.buffer.push(status);
    const minute = Math.ceil(status.at / FLUSH_EVERY_MS) * FLUSH_EVERY_MS;
    if (this.flushAt.has(minute)) return;
    this.flushAt.add(minute);
    this.deps.timeline.spawn(minute, () => this.flush(minute));
  }

  /** At the end of the history: every status still planned is reported now (none may land in the live present). */
  async flushAll(): Promise<void> {
    const now = this.deps.timeline.now;
    for (const s of this.buffer) s.at = Math.min(s.at, now);
    await this.flush(now);
  }

  /** One webhook with every status due by this minute. */
  private async flush(minute: number) {
    this.flushAt.delete(minute);
    const due = this.buffer.filter((s) => s.at <= minute).sort((a, b) => a.at - b.at);
    if (due.length === 0) return;
    this.buffer = this.buffer.filter((s) => s.at > minute);
    await this.deps.api.webhook(this.deps.phoneNumberId, {
      statuses: due.map((s) => ({
        id: s.id, status: s.status, timestamp: String(Math.floor(s.at / 1000)), recipient_id: s.to,
        ...(s.errorCode ? { errors: [{ code: s.errorCode, title: "Message undeliverable" }] } : {}),
      })),
    });
  }
}
