import { and, desc, eq, gte, ne, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { channels, contacts, conversations, messages, teams, tenants } from "../db/schema/index.js";
import { inTransaction, type Db, type Tx } from "../db/index.js";
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
  const [row] = await tx
    .insert(contacts)
    .values({ id: uuidv7(), tenantId, phone, name })
    .onConflictDoUpdate({
      target: [contacts.tenantId, contacts.phone],
      set: { name: sql`coalesce(excluded.name, ${contacts.name})` },
    })
    .returning({ id: contacts.id, inserted: sql<boolean>`(xmax = 0)` });
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

/**
 * A customer message, in one transaction: contact upserted (its row lock serialises one customer's
 * messages), conversation found, reopened within the window or opened and routed, message stored once per
 * WhatsApp id, and the conversation assigned when it has nobody.
 */
export async function receiveInbound(deps: Deps, msg: InboundMessage): Promise<InboundResult> {
  try {
    return await inTransaction(deps.db, async (tx) => {
      const now = deps.clock.now();
      const events = new EventBatch(now);
      const [channel] = await tx.select().from(channels).where(eq(channels.phoneNumberId, msg.phoneNumberId));
      if (!channel) throw new DomainError("not_found", `No channel for phone number id ${msg.phoneNumberId}`);
      const [seen] = await tx.select({ id: messages.id }).from(messages)
        .where(and(eq(messages.channelId, channel.id), eq(messages.waMessageId, msg.waMessageId)));
      if (seen) throw new DuplicateMessage();
      const contact = await upsertContact(tx, channel.tenantId, msg.from, msg.contactName ?? null);
      const survey = await receiveSurveyReply(tx, events, { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, newContact: contact.inserted, msg, now });
      if (survey === "duplicate") throw new DuplicateMessage();
      if (survey) {
        await events.flush(tx);
        return { duplicate: false as const, ...survey, assigneeId: null, opened: "existing" as const };
      }
      let conv = await findLiveConversation(tx, channel.id, contact.id);
      let opened: "new" | "reopened" | "existing" = "existing";
      let preferAgentId: string | null = null;
      let routedBy: RoutingDecision["routedBy"] | undefined;
      if (!conv) {
        const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, channel.tenantId));
        const reopenable = await findReopenable(tx, channel.id, contact.id, new Date(now.getTime() - tenant!.reopenWindowSeconds * 1000));
        if (reopenable) {
          conv = await reopenByCustomer(tx, events, reopenable, now);
          preferAgentId = reopenable.resolvedAssigneeId;
          opened = "reopened";
        } else {
          const routing = await routeNewConversation(tx, { tenantId: channel.tenantId, text: msg.text, menuChoice: msg.menuChoice ?? null, phone: msg.from });
          conv = await openConversation(tx, events, { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, isNewContact: contact.inserted, routing, now });
          preferAgentId = contact.inserted ? null : await previousAgentOfContact(tx, contact.id);
          routedBy = routing.routedBy;
          opened = "new";
        }
      } else if (conv.status === "pending") {
        await tx.update(conversations).set({ status: "open" }).where(eq(conversations.id, conv.id));
        events.add("conversation.status_changed", ctxOf(conv), { cycle: conv.cycle, from: "pending", to: "open" });
        conv.status = "open";
      }
      const messageId = uuidv7();
      const inserted = await tx.insert(messages).values({
        id: messageId, tenantId: channel.tenantId, conversationId: conv.id, channelId: channel.id, cycle: conv.cycle,
        direction: "inbound", sender: "customer", kind: msg.kind, body: msg.text, waMessageId: msg.waMessageId,
        status: "received", createdAt: now,
      }).onConflictDoNothing().returning({ id: messages.id });
      if (inserted.length === 0) throw new DuplicateMessage();
      await tx.update(conversations).set({
        waitingSince: sql`coalesce(${conversations.waitingSince}, ${now.toISOString()}::timestamptz)`,
        lastMessageAt: now, lastInboundAt: now,
      }).where(eq(conversations.id, conv.id));
      events.add("message.received", ctxOf(conv), {
        cycle: conv.cycle, message_id: messageId, wa_message_id: msg.waMessageId, kind: msg.kind, length: msg.text?.length ?? 0,
      });
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
