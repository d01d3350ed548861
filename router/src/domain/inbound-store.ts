import type postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { iso, rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { AssignOptions } from "../assignment/assign.js";
import type { Arrival } from "./inbound-reads.js";
import { ctxOf, type Placement } from "./inbound-placement.js";

/** Meta resent a message already stored: whatever was written for it must roll back. */
export class DuplicateMessage extends Error {}

/** The agent a batch dealt a new chat, and how the assignment is recorded. */
export type Dealt = { agentId: string; options: AssignOptions };

/** A new id for the message, with its `message.received` event queued behind what placing it recorded. */
export function receivedMessageId(a: Arrival, p: Placement): string {
  const messageId = uuidv7();
  const { conv } = p;
  a.events.add("message.received", ctxOf(conv), {
    cycle: conv.cycle, message_id: messageId, wa_message_id: a.msg.waMessageId, kind: a.msg.kind, length: a.msg.text?.length ?? 0,
  });
  return messageId;
}

/**
 * The INSERT of a batch's messages from its statement's `input` CTE (columns message, tenant, conv, channel,
 * kind, body, wa_id, n), once per WhatsApp id, returning the ids stored: a duplicate is missing from them.
 */
export function insertInboundMessages(tx: Tx, at: string, cycle: postgres.Fragment): postgres.Fragment {
  return rawSql(tx)`INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
    SELECT message, tenant, conv, channel, ${cycle}, 'inbound'::message_direction, 'customer'::message_sender, kind, body, wa_id,
      'received'::message_status, ${at}::timestamptz FROM input ORDER BY n
    ON CONFLICT (channel_id, wa_message_id) DO NOTHING RETURNING id`;
}

/**
 * Stores the message once per WhatsApp id in one statement with the placement's writes, the customer's wait
 * and the events so far. A duplicate rolls the whole transaction back, placement included. (A batch stores
 * the new chats it dealt together instead: `inbound-dealt.ts`.)
 */
export async function storeInbound(a: Arrival, p: Placement): Promise<{ messageId: string }> {
  const { tx, events, now, channel, msg } = a;
  const { conv } = p;
  const messageId = receivedMessageId(a, p);
  const sql = rawSql(tx);
  const at = iso(now);
  const recorded = events.takeInsert(tx);
  const none = sql``;
  const change = p.change === "reopen"
    ? sql`status = 'open', cycle = ${conv.cycle}, cycle_started_at = ${at}, outcome = NULL, deal_value = NULL, currency = NULL, loss_reason = NULL,`
    : p.change === "open" ? sql`status = 'open',` : none;
  const [row] = await sql<Array<{ id: string | null }>>`WITH
    ${p.create ? sql`created AS (${p.create()}),` : none}
    ${p.territory ? sql`territory AS (${p.territory}),` : none}
    ${p.create ? none : sql`waiting AS (UPDATE conversations SET ${change} waiting_since = coalesce(waiting_since, ${at}::timestamptz),
      last_message_at = ${at}, last_inbound_at = ${at} WHERE id = ${conv.id}),`}
    ${recorded ? sql`recorded AS (${recorded}),` : none}
    stored AS (
      INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
      VALUES (${messageId}, ${channel.tenantId}, ${conv.id}, ${channel.id}, ${conv.cycle}, 'inbound', 'customer', ${msg.kind}, ${msg.text},
              ${msg.waMessageId}, 'received', ${at})
      ON CONFLICT (channel_id, wa_message_id) DO NOTHING RETURNING id)
    SELECT (SELECT id FROM stored) AS id`;
  if (!row?.id) throw new DuplicateMessage();
  events.stored();
  return { messageId };
}
