import { and, desc, eq, gte, ne } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { channels, contacts, conversations, teams, tenants } from "../db/schema/index.js";
import { inTransaction, type Db, type Tx } from "../db/index.js";
import { iso, rawSql } from "../db/raw.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import type { messageKinds } from "../events/index.js";
import { autoAssign, previousAgentOfContact } from "../assignment/auto.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import { routeNewConversation, type RoutingDecision } from "../assignment/routing-rules.js";
import type { Conversation } from "../assignment/assign.js";
import { DomainError } from "./errors.js";
import { receiveSurveyReply } from "./automation/csat.js";
import { sendAwayMessageIfClosed } from "./automation/away.js";

export type InboundMessage = {
  phoneNumberId: string;
  from: string;
  contactName?: string | null;
  waMessageId: string;
  kind: (typeof messageKinds)[number];
  text: string | null;
  /** The id of a bot-menu (interactive list/button) reply, used by routing rules of kind "menu". */
  menuChoice?: string | null;
};

export type InboundResult =
  | { duplicate: true }
  | { duplicate: false; conversationId: string; messageId: string; assigneeId: string | null; opened: "new" | "reopened" | "existing" };

type Deps = { db: Db; clock: Clock };
class DuplicateMessage extends Error {}

async function upsertContact(tx: Tx, tenantId: string, phone: string, name: string | null) {
  const sql = rawSql(tx);
  const [row] = await sql<Array<{ id: string; inserted: boolean }>>`
    INSERT INTO contacts (id, tenant_id, phone, name) VALUES (${uuidv7()}, ${tenantId}, ${phone}, ${name})
    ON CONFLICT (tenant_id, phone) DO UPDATE SET name = coalesce(excluded.name, contacts.name)
    RETURNING id, (xmax = 0) AS inserted`;
  return row!;
}

async function findLiveConversation(tx: Tx, channelId: string, contactId: string) {
  const [live] = await tx.select().from(conversations)
    .where(and(eq(conversations.channelId, channelId), eq(conversations.contactId, contactId), ne(conversations.status, "resolved")))
    .for("no key update");
  return live;
}

async function findReopenable(tx: Tx, channelId: string, contactId: string, since: Date) {
  const [recent] = await tx.select().from(conversations)
    .where(and(eq(conversations.channelId, channelId), eq(conversations.contactId, contactId),
      eq(conversations.status, "resolved"), gte(conversations.resolvedAt, since)))
    .orderBy(desc(conversations.resolvedAt)).limit(1).for("no key update");
  return recent;
}

async function openConversation(tx: Tx, events: EventBatch, input: { tenantId: string; channelId: string; contactId: string; isNewContact: boolean; routing: RoutingDecision; now: Date }) {
  const [team] = input.routing.teamId ? await tx.select().from(teams).where(eq(teams.id, input.routing.teamId)) : [];
  const outOfHours = team ? !isTeamOpen(team, input.now) : false;
  const [conv] = await tx.insert(conversations).values({
    id: uuidv7(), tenantId: input.tenantId, channelId: input.channelId, contactId: input.contactId,
    status: "open", cycle: 1, cycleStartedAt: input.now, teamId: team?.id ?? null, territory: input.routing.territory,
    outOfHours, isLead: team?.isSales ?? false, lastMessageAt: input.now,
  }).returning();
  if (input.routing.territory) {
    await tx.update(contacts).set({ territory: input.routing.territory }).where(eq(contacts.id, input.contactId));
  }
  events.add("conversation.opened", ctxOf(conv!), {
    cycle: 1, team_id: conv!.teamId, department: team?.department ?? team?.name ?? null, territory: conv!.territory,
    is_new_contact: input.isNewContact, out_of_hours: outOfHours, is_lead: conv!.isLead, routed_by: input.routing.routedBy,
  });
  return conv!;
}

async function reopenByCustomer(tx: Tx, events: EventBatch, conv: Conversation, now: Date) {
  const cycle = conv.cycle + 1;
  const [updated] = await tx.update(conversations).set({
    status: "open", cycle, cycleStartedAt: now, outcome: null, dealValue: null, currency: null, lossReason: null,
  }).where(eq(conversations.id, conv.id)).returning();
  events.add("conversation.reopened", ctxOf(conv), {
    cycle, reopened_by: "customer", previous_resolved_at: conv.resolvedAt!.toISOString(),
    previous_resolved_by_agent_id: conv.resolvedAssigneeId,
  });
  return updated!;
}

export const ctxOf = (c: Conversation, agentId?: string | null) => ({
  tenantId: c.tenantId, conversationId: c.id, channelId: c.channelId, contactId: c.contactId,
  teamId: c.teamId, agentId: agentId ?? c.assigneeId,
});

type Placement = { conv: Conversation; opened: "new" | "reopened" | "existing"; preferAgentId: string | null; routedBy?: RoutingDecision["routedBy"] };
type Arrival = { tx: Tx; events: EventBatch; now: Date; channel: typeof channels.$inferSelect; contact: { id: string; inserted: boolean }; msg: InboundMessage };

/**
 * Finds where a message belongs: the contact's live conversation, a resolved one reopened within the
 * window, or a new one routed by the rules. A contact met just now can have neither of the first two.
 */
async function placeMessage(a: Arrival): Promise<Placement> {
  const { tx, events, now, channel, contact, msg } = a;
  if (!contact.inserted) {
    const live = await findLiveConversation(tx, channel.id, contact.id);
    if (live) return { conv: await customerAnswered(tx, events, live), opened: "existing", preferAgentId: null };
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, channel.tenantId));
    const reopenable = await findReopenable(tx, channel.id, contact.id, new Date(now.getTime() - tenant!.reopenWindowSeconds * 1000));
    if (reopenable) {
      return { conv: await reopenByCustomer(tx, events, reopenable, now), opened: "reopened", preferAgentId: reopenable.resolvedAssigneeId };
    }
  }
  const routing = await routeNewConversation(tx, { tenantId: channel.tenantId, text: msg.text, menuChoice: msg.menuChoice ?? null, phone: msg.from });
  const conv = await openConversation(tx, events, { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, isNewContact: contact.inserted, routing, now });
  const preferAgentId = contact.inserted ? null : await previousAgentOfContact(tx, contact.id);
  return { conv, opened: "new", preferAgentId, routedBy: routing.routedBy };
}

/** A customer writing on a conversation left pending (waiting on him) puts it back to open. */
async function customerAnswered(tx: Tx, events: EventBatch, conv: Conversation): Promise<Conversation> {
  if (conv.status !== "pending") return conv;
  await tx.update(conversations).set({ status: "open" }).where(eq(conversations.id, conv.id));
  events.add("conversation.status_changed", ctxOf(conv), { cycle: conv.cycle, from: "pending", to: "open" });
  return { ...conv, status: "open" };
}

/** Stores the message once per WhatsApp id (a retry rolls the whole command back) and starts the wait clock. */
async function storeInbound(a: Arrival, conv: Conversation): Promise<string> {
  const { tx, events, now, channel, msg } = a;
  const messageId = uuidv7();
  const raw = rawSql(tx);
  const at = iso(now);
  // Pipelined in one round trip; a duplicate rolls the whole transaction back, update included.
  const [inserted] = await Promise.all([
    raw`INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
      VALUES (${messageId}, ${channel.tenantId}, ${conv.id}, ${channel.id}, ${conv.cycle}, 'inbound', 'customer', ${msg.kind}, ${msg.text},
              ${msg.waMessageId}, 'received', ${at})
      ON CONFLICT (channel_id, wa_message_id) DO NOTHING RETURNING id`,
    raw`UPDATE conversations SET waiting_since = coalesce(waiting_since, ${at}::timestamptz), last_message_at = ${at}, last_inbound_at = ${at}
      WHERE id = ${conv.id}`,
  ]);
  if (inserted.length === 0) throw new DuplicateMessage();
  events.add("message.received", ctxOf(conv), {
    cycle: conv.cycle, message_id: messageId, wa_message_id: msg.waMessageId, kind: msg.kind, length: msg.text?.length ?? 0,
  });
  return messageId;
}

/**
 * A customer message, in one transaction: contact upserted (its row lock serialises one customer's
 * messages), survey answers recorded apart, conversation found, reopened or opened and routed, message
 * stored once per WhatsApp id, away message when the team is closed, and an agent when it has none.
 */
export async function receiveInbound(deps: Deps, msg: InboundMessage): Promise<InboundResult> {
  try {
    return await inTransaction(deps.db, async (tx) => {
      const now = deps.clock.now();
      const events = new EventBatch(now);
      const [channel] = await tx.select().from(channels).where(eq(channels.phoneNumberId, msg.phoneNumberId));
      if (!channel) throw new DomainError("not_found", `No channel for phone number id ${msg.phoneNumberId}`);
      const contact = await upsertContact(tx, channel.tenantId, msg.from, msg.contactName ?? null);
      const survey = await receiveSurveyReply(tx, events, { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, newContact: contact.inserted, msg, now });
      if (survey === "duplicate") throw new DuplicateMessage();
      if (survey) {
        await events.flush(tx);
        return { duplicate: false as const, ...survey, assigneeId: null, opened: "existing" as const };
      }
      const arrival: Arrival = { tx, events, now, channel, contact, msg };
      const { conv, opened, preferAgentId, routedBy } = await placeMessage(arrival);
      const messageId = await storeInbound(arrival, conv);
      await sendAwayMessageIfClosed(tx, events, { ...conv, status: "open", lastInboundAt: now }, now);
      if (!conv.assigneeId) await autoAssign(tx, events, conv, { now, routedBy, preferAgentId });
      await events.flush(tx);
      return { duplicate: false as const, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened };
    });
  } catch (error) {
    if (error instanceof DuplicateMessage) return { duplicate: true };
    throw error;
  }
}
