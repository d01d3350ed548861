import { iso, rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import { insertOutboxRows, type OutboxRow } from "../outbox/append.js";
import type { Arrival } from "./inbound-reads.js";
import type { Placement } from "./inbound-placement.js";
import { DuplicateMessage, insertInboundMessages, receivedMessageId } from "./inbound-store.js";

/** A message on a conversation the customer already has, as it waits for the statement that stores them all. */
type Continued = { a: Arrival; p: Placement; messageId: string; events: OutboxRow[]; settle: (stored: { messageId: string } | Error) => void };

/**
 * The messages of a batch that continue or reopen a conversation, stored in one set-based statement once
 * every message of the batch has found its place (`send`, before the batch locks its teams, which these
 * messages do not need): each conversation's wait, last message times and change (reopened into its next
 * cycle, or back to open from pending), the messages once per WhatsApp id, and their events in order.
 */
export class ContinuedStores {
  private readonly messages: Continued[] = [];
  private sent = false;

  constructor(private readonly tx: Tx, private readonly now: Date) {}

  add(a: Arrival, p: Placement): Promise<{ messageId: string }> {
    if (this.sent) throw new Error("a continued message joined its batch after the batch's statement went out");
    const messageId = receivedMessageId(a, p);
    return new Promise((resolve, reject) => {
      const settle = (s: { messageId: string } | Error) => (s instanceof Error ? reject(s) : resolve(s));
      this.messages.push({ a, p, messageId, events: a.events.takeRows(), settle });
    });
  }

  /** Every message of the batch has found its place: the ones added go out, in one statement. */
  send(): void {
    if (this.sent) return;
    this.sent = true;
    const messages = this.messages;
    if (messages.length === 0) return;
    storeContinued(this.tx, this.now, messages).then(
      (stored) => messages.forEach((m, i) => {
        if (!stored[i]) return m.settle(new DuplicateMessage());
        m.a.events.stored();
        m.settle({ messageId: m.messageId });
      }),
      (error: Error) => messages.forEach((m) => m.settle(error)),
    );
  }
}

async function storeContinued(tx: Tx, now: Date, messages: Continued[]): Promise<boolean[]> {
  const sql = rawSql(tx);
  const at = iso(now);
  const col = <T>(f: (m: Continued) => T) => messages.map(f);
  const rows = await sql<Array<{ stored: boolean }>>`WITH
    input AS (SELECT * FROM unnest(${col((m) => m.p.conv.id)}::uuid[], ${col((m) => m.p.conv.tenantId)}::uuid[],
        ${col((m) => m.a.channel.id)}::uuid[], ${col((m) => m.p.conv.cycle)}::int[], ${col((m) => m.p.change ?? "")}::text[],
        ${col((m) => m.messageId)}::uuid[], ${col((m) => m.a.msg.kind)}::text[], ${col((m) => m.a.msg.text)}::text[],
        ${col((m) => m.a.msg.waMessageId)}::text[])
      WITH ORDINALITY AS i(conv, tenant, channel, cycle, change, message, kind, body, wa_id, n)),
    waiting AS (UPDATE conversations c SET
        status = CASE WHEN i.change <> '' THEN 'open'::conversation_status ELSE c.status END,
        cycle = CASE WHEN i.change = 'reopen' THEN i.cycle ELSE c.cycle END,
        cycle_started_at = CASE WHEN i.change = 'reopen' THEN ${at}::timestamptz ELSE c.cycle_started_at END,
        outcome = CASE WHEN i.change = 'reopen' THEN NULL ELSE c.outcome END,
        deal_value = CASE WHEN i.change = 'reopen' THEN NULL ELSE c.deal_value END,
        currency = CASE WHEN i.change = 'reopen' THEN NULL ELSE c.currency END,
        loss_reason = CASE WHEN i.change = 'reopen' THEN NULL ELSE c.loss_reason END,
        waiting_since = coalesce(c.waiting_since, ${at}::timestamptz), last_message_at = ${at}::timestamptz, last_inbound_at = ${at}::timestamptz
      FROM input i WHERE c.id = i.conv),
    recorded AS (${insertOutboxRows(tx, messages.flatMap((m) => m.events))}),
    stored AS (${insertInboundMessages(tx, at, sql`cycle`)})
    SELECT EXISTS (SELECT 1 FROM stored s WHERE s.id = i.message) AS stored FROM input i ORDER BY i.n`;
  return rows.map((r) => r.stored);
}
