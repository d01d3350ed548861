import { uuidv7 } from "uuidv7";
import { iso, rawSql } from "../db/raw.js";
import type { AssignOptions } from "../assignment/assign.js";
import type { Arrival } from "./inbound-reads.js";
import { ctxOf, type Placement } from "./inbound-placement.js";

/** Meta resent a message already stored: whatever was written for it must roll back. */
export class DuplicateMessage extends Error {}

/** The agent a batch dealt a new chat, and how the assignment is recorded. */
export type Dealt = { agentId: string; options: AssignOptions };

/**
 * The assignment of a new chat to its dealt agent, as CTEs of the statement that stores it: the agent's row
 * lock (it waits for whoever holds it, then reads the latest row), taken only if the agent is still active,
 * online and has room; the history row and the round-robin pointer, gated on it. The conversation's INSERT
 * takes the agent from `agent`, and its trigger moves the agent's active chats and last assignment time.
 */
function dealtAssignment(a: Arrival, p: Placement, dealt: Dealt) {
  const sql = rawSql(a.tx);
  const { conv } = p;
  const { agentId, options } = dealt;
  const at = iso(a.now);
  return sql`agent AS (SELECT id FROM agents WHERE tenant_id = ${conv.tenantId} AND id = ${agentId} AND active AND presence = 'online'
      AND active_chats < capacity FOR NO KEY UPDATE),
    stint AS (INSERT INTO assignments (id, tenant_id, conversation_id, cycle, agent_id, team_id, method, assigned_by, started_at)
      SELECT ${uuidv7()}, ${conv.tenantId}, ${conv.id}, ${conv.cycle}, id, ${conv.teamId}, ${options.method}, NULL, ${at} FROM agent),
    ${options.advanceRoundRobin ? sql`pointer AS (UPDATE teams SET rr_last_agent_id = ${agentId}
      WHERE id = ${options.advanceRoundRobin} AND EXISTS (SELECT 1 FROM agent)),` : sql``}`;
}

/**
 * Stores the message once per WhatsApp id in one statement with the placement's writes, the customer's wait,
 * the events so far and, for a new chat a batch dealt (`dealt`), its assignment. A duplicate rolls the whole
 * transaction back, placement included. `assigned`: the dealt agent took the chat.
 */
export async function storeInbound(a: Arrival, p: Placement, dealt?: Dealt): Promise<{ messageId: string; assigned: boolean }> {
  const { tx, events, now, channel, msg } = a;
  const { conv } = p;
  const messageId = uuidv7();
  const sql = rawSql(tx);
  const at = iso(now);
  events.add("message.received", ctxOf(conv), {
    cycle: conv.cycle, message_id: messageId, wa_message_id: msg.waMessageId, kind: msg.kind, length: msg.text?.length ?? 0,
  });
  const withAgent = dealt && p.create ? dealt : undefined;
  const granted = sql`EXISTS (SELECT 1 FROM agent)`;
  const recorded = withAgent ? events.takeInsertWith(tx, events.prepare("conversation.assigned", ctxOf(conv, withAgent.agentId), {
    cycle: conv.cycle, assignee_type: "agent", to_agent_id: withAgent.agentId, to_team_id: conv.teamId, previous_agent_id: null,
    method: withAgent.options.method, strategy: withAgent.options.strategy ?? null,
  }), granted) : events.takeInsert(tx);
  const none = sql``;
  const [row] = await sql<Array<{ id: string | null; assigned: boolean }>>`WITH
    ${withAgent ? dealtAssignment(a, p, withAgent) : none}
    ${p.create ? sql`created AS (${p.create(!!withAgent)}),` : none}
    ${p.territory ? sql`territory AS (${p.territory}),` : none}
    ${p.create ? none : sql`waiting AS (UPDATE conversations SET ${p.change ?? none} waiting_since = coalesce(waiting_since, ${at}::timestamptz),
      last_message_at = ${at}, last_inbound_at = ${at} WHERE id = ${conv.id}),`}
    ${recorded ? sql`recorded AS (${recorded}),` : none}
    stored AS (
      INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
      VALUES (${messageId}, ${channel.tenantId}, ${conv.id}, ${channel.id}, ${conv.cycle}, 'inbound', 'customer', ${msg.kind}, ${msg.text},
              ${msg.waMessageId}, 'received', ${at})
      ON CONFLICT (channel_id, wa_message_id) DO NOTHING RETURNING id)
    SELECT (SELECT id FROM stored) AS id, ${withAgent ? granted : sql`false`} AS assigned`;
  if (!row?.id) throw new DuplicateMessage();
  events.stored(row.assigned ? 1 : 0);
  if (withAgent && row.assigned) {
    conv.assigneeId = withAgent.agentId;
    conv.assignedAt = now;
  }
  return { messageId, assigned: row.assigned };
}
