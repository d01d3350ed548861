import { uuidv7 } from "uuidv7";
import { iso, rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import { insertOutboxRows, outboxRowOf, type OutboxRow } from "../outbox/append.js";
import type { Arrival } from "./inbound-reads.js";
import { ctxOf, type Placement } from "./inbound-placement.js";
import { DuplicateMessage, insertInboundMessages, receivedMessageId, type Dealt } from "./inbound-store.js";

type Stored = { messageId: string; assigned: boolean };

/** A new chat a batch dealt, as it waits for the statement that stores them all. */
type DealtChat = {
  a: Arrival; p: Placement; dealt: Dealt; order: number; messageId: string;
  events: OutboxRow[]; assignedEvent: OutboxRow; settle: (stored: Stored | Error) => void;
};

const byDealOrder = (x: DealtChat, y: DealtChat) => x.order - y.order;

/**
 * The new chats a batch dealt, stored in one statement once every chat that took a team turn has either
 * joined (`add`) or gone its own way (`skip`): the conversations with their agents, the messages, the
 * assignment history, the round-robin pointers, the contacts' territories and the events, set-based, where
 * one statement per chat cost Postgres and this process most of a batch's time. Rows go in deal order (the
 * batch's turns, `TeamTurn.place`). Each dealt agent's row is locked (in id order) and read once: he takes his chats
 * in that order while he is active, online and has room, exactly as one statement per chat would have
 * granted them; a chat he has no room for is stored waiting (`assigned: false`), its event not written.
 */
export class DealtStores {
  private readonly chats: DealtChat[] = [];
  private decided = 0;
  private expected: number | undefined;
  private sent = false;

  constructor(private readonly tx: Tx, private readonly now: Date) {}

  /** How many turns the batch's teams hand out: known once every message has joined. */
  expect(turns: number): void {
    this.expected = turns;
    this.sendWhenDecided();
  }

  /** A dealt new chat; settles once the batch's statement has stored it. Its place in the batch's deal orders it. */
  add(a: Arrival, p: Placement, dealt: Dealt, order: number): Promise<Stored> {
    const messageId = receivedMessageId(a, p);
    const assigned = a.events.prepare("conversation.assigned", ctxOf(p.conv, dealt.agentId), {
      cycle: p.conv.cycle, assignee_type: "agent", to_agent_id: dealt.agentId, to_team_id: p.conv.teamId, previous_agent_id: null,
      method: dealt.options.method, strategy: dealt.options.strategy ?? null,
    });
    const stored = new Promise<Stored>((resolve, reject) => {
      const settle = (s: Stored | Error) => (s instanceof Error ? reject(s) : resolve(s));
      this.chats.push({ a, p, dealt, order, messageId, events: a.events.takeRows(), assignedEvent: outboxRowOf(assigned), settle });
    });
    this.decided++;
    this.sendWhenDecided();
    return stored;
  }

  /** A chat that took a turn but was dealt nothing: it stores itself. */
  skip(): void {
    this.decided++;
    this.sendWhenDecided();
  }

  private sendWhenDecided(): void {
    if (this.sent || this.expected === undefined || this.decided < this.expected) return;
    this.sent = true;
    if (this.chats.length === 0) return;
    const chats = this.chats.sort(byDealOrder);
    storeDealtChats(this.tx, this.now, chats).then(
      (rows) => chats.forEach((chat, i) => chat.settle(settled(chat, rows[i]))),
      (error: Error) => chats.forEach((chat) => chat.settle(error)),
    );
  }
}

type Row = { ok: boolean; stored: boolean };

/** What the statement's row says of a chat: stored and perhaps assigned, or a duplicate to roll back. */
function settled(chat: DealtChat, row: Row | undefined): Stored | Error {
  if (!row?.stored) return new DuplicateMessage();
  chat.a.events.stored(row.ok ? 1 : 0);
  if (row.ok) {
    chat.p.conv.assigneeId = chat.dealt.agentId;
    chat.p.conv.assignedAt = chat.a.now;
  }
  return { messageId: chat.messageId, assigned: row.ok };
}

function storeDealtChats(tx: Tx, now: Date, chats: DealtChat[]): Promise<Row[]> {
  const sql = rawSql(tx);
  const at = iso(now);
  const col = <T>(f: (c: DealtChat) => T) => chats.map(f);
  const conv = <T>(f: (c: Placement["conv"]) => T) => chats.map((c) => f(c.p.conv));
  // An event's gate: 0 when it is written anyway, else the chat (its row number) whose assignment decides it.
  const events = chats.flatMap((c, i) => [...c.events.map((e) => ({ e, gate: 0 })), { e: c.assignedEvent, gate: i + 1 }]);
  const assignedHere = sql`EXISTS (SELECT 1 FROM granted g WHERE g.n = e.gate AND g.ok)`;
  return sql<Row[]>`WITH
    input AS (SELECT * FROM unnest(${conv((c) => c.id)}::uuid[], ${conv((c) => c.tenantId)}::uuid[], ${conv((c) => c.channelId)}::uuid[],
        ${conv((c) => c.contactId)}::uuid[], ${conv((c) => c.teamId)}::uuid[], ${conv((c) => c.territory || null)}::text[],
        ${conv((c) => String(c.outOfHours))}::text[], ${conv((c) => String(c.isLead))}::text[], ${col((c) => c.dealt.agentId)}::uuid[],
        ${col((c) => c.dealt.options.method)}::assignment_method[], ${col((c) => c.dealt.options.advanceRoundRobin ?? null)}::uuid[],
        ${col(() => uuidv7())}::uuid[], ${col((c) => c.messageId)}::uuid[], ${col((c) => c.a.msg.kind)}::text[],
        ${col((c) => c.a.msg.text)}::text[], ${col((c) => c.a.msg.waMessageId)}::text[])
      WITH ORDINALITY AS i(conv, tenant, channel, contact, team, territory, out_of_hours, is_lead, agent, method, rr_team, stint,
        message, kind, body, wa_id, n)),
    agent AS (SELECT id, capacity - active_chats AS room FROM agents
      WHERE (tenant_id, id) IN (SELECT tenant, agent FROM input) AND active AND presence = 'online' AND active_chats < capacity
      ORDER BY id FOR NO KEY UPDATE),
    granted AS (SELECT i.*, coalesce(row_number() OVER (PARTITION BY i.agent ORDER BY i.n) <= a.room, false) AS ok
      FROM input i LEFT JOIN agent a ON a.id = i.agent),
    created AS (INSERT INTO conversations (id, tenant_id, channel_id, contact_id, status, cycle, cycle_started_at, team_id, territory,
        out_of_hours, is_lead, waiting_since, last_message_at, last_inbound_at, assignee_id, assigned_at)
      SELECT conv, tenant, channel, contact, 'open'::conversation_status, 1, ${at}::timestamptz, team, territory, out_of_hours::boolean, is_lead::boolean,
        ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz, CASE WHEN ok THEN agent END, CASE WHEN ok THEN ${at}::timestamptz END
      FROM granted ORDER BY n),
    stint AS (INSERT INTO assignments (id, tenant_id, conversation_id, cycle, agent_id, team_id, method, assigned_by, started_at)
      SELECT stint, tenant, conv, 1, agent, team, method, NULL, ${at}::timestamptz FROM granted WHERE ok ORDER BY n),
    pointer AS (UPDATE teams t SET rr_last_agent_id = last.agent
      FROM (SELECT DISTINCT ON (rr_team) rr_team, agent FROM granted WHERE ok AND rr_team IS NOT NULL ORDER BY rr_team, n DESC) last
      WHERE t.id = last.rr_team),
    territory AS (UPDATE contacts c SET territory = i.territory FROM input i WHERE c.id = i.contact AND i.territory IS NOT NULL),
    recorded AS (${insertOutboxRows(tx, events.map((x) => x.e), { gates: events.map((x) => x.gate), passes: assignedHere })}),
    stored AS (${insertInboundMessages(tx, at, sql`1`)})
    SELECT g.ok, EXISTS (SELECT 1 FROM stored s WHERE s.id = g.message) AS stored FROM granted g ORDER BY g.n`;
}
