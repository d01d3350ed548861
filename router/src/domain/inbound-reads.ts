import { and, desc, eq, gte, ne } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { conversations, teams, type routingRules } from "../db/schema/index.js";
import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import { previousAgentOfContact } from "../assignment/auto.js";
import { tenantRoutingRules } from "../assignment/routing-rules.js";
import type { Conversation } from "../assignment/assign.js";
import type { Team } from "../assignment/strategies.js";
import { lookUpSurvey, type Reply } from "./automation/csat.js";
import type { InboundMessage } from "./inbound.js";

/** What the inbound path knows once the contact is locked: which number, which workspace, which customer. */
export type Arrival = {
  tx: Tx; events: EventBatch; now: Date; msg: InboundMessage; reply: Reply;
  channel: { id: string; tenantId: string; reopenWindowSeconds: number; defaultTeamId: string | null };
  contact: { id: string; inserted: boolean };
};

type ArrivalRow = { channel_id: string; tenant_id: string; reopen_window_seconds: number; default_team_id: string | null; contact_id: string; inserted: boolean };

/**
 * One round trip: the number's channel and workspace settings, and the contact upserted. The upsert takes
 * the contact's row lock, which serialises one customer's messages; so every later read, in later
 * statements, sees what the previous message of this customer committed. Null for an unknown number.
 */
export async function arrive(tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Promise<Arrival | null> {
  const [row] = await rawSql(tx)<ArrivalRow[]>`
    WITH ch AS (
      SELECT c.id, c.tenant_id, t.reopen_window_seconds, t.default_team_id FROM channels c JOIN tenants t ON t.id = c.tenant_id
      WHERE c.phone_number_id = ${msg.phoneNumberId}),
    contact AS (
      INSERT INTO contacts (id, tenant_id, phone, name) SELECT ${uuidv7()}, ch.tenant_id, ${msg.from}, ${msg.contactName ?? null} FROM ch
      ON CONFLICT (tenant_id, phone) DO UPDATE SET name = coalesce(excluded.name, contacts.name)
      RETURNING id, (xmax = 0) AS inserted)
    SELECT ch.id AS channel_id, ch.tenant_id, ch.reopen_window_seconds, ch.default_team_id, contact.id AS contact_id, contact.inserted
    FROM ch, contact`;
  if (!row) return null;
  const channel = { id: row.channel_id, tenantId: row.tenant_id, reopenWindowSeconds: row.reopen_window_seconds, defaultTeamId: row.default_team_id };
  const contact = { id: row.contact_id, inserted: row.inserted };
  const reply = { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, newContact: contact.inserted, msg, now };
  return { tx, events, now, msg, reply, channel, contact };
}

type Rule = typeof routingRules.$inferSelect;

/** What placing a message needs, read in one round trip. `rules` only for a contact met just now. */
export type PlacementContext = {
  survey?: { id: string; cycle: number };
  live?: Conversation;
  reopenable?: Conversation;
  teams: Team[];
  rules?: Rule[];
};

const findLiveConversation = (tx: Tx, channelId: string, contactId: string) => tx.select().from(conversations)
  .where(and(eq(conversations.channelId, channelId), eq(conversations.contactId, contactId), ne(conversations.status, "resolved")))
  .for("no key update");

const findReopenable = (tx: Tx, channelId: string, contactId: string, since: Date) => tx.select().from(conversations)
  .where(and(eq(conversations.channelId, channelId), eq(conversations.contactId, contactId),
    eq(conversations.status, "resolved"), gte(conversations.resolvedAt, since)))
  .orderBy(desc(conversations.resolvedAt)).limit(1).for("no key update");

/**
 * The reads a message's placement may need, pipelined: a new contact needs the routing rules; a known one,
 * the survey it may be answering, its live conversation and the one it may reopen (both locked, in that
 * order). The workspace's teams either way: routing, business hours and the away message read them.
 */
export async function readPlacementContext(a: Arrival): Promise<PlacementContext> {
  const { tx, channel, contact } = a;
  const tenantTeams = tx.select().from(teams).where(eq(teams.tenantId, channel.tenantId));
  if (contact.inserted) {
    const [rules, teamRows] = await Promise.all([tenantRoutingRules(tx, channel.tenantId), tenantTeams]);
    return { rules, teams: teamRows };
  }
  const since = new Date(a.now.getTime() - channel.reopenWindowSeconds * 1000);
  const [survey, [live], [reopenable], teamRows] = await Promise.all([
    lookUpSurvey(tx, a.reply) ?? [],
    findLiveConversation(tx, channel.id, contact.id),
    findReopenable(tx, channel.id, contact.id, since),
    tenantTeams,
  ]);
  return { survey: survey[0], live, reopenable, teams: teamRows };
}

/** A known contact with nothing to continue or reopen: the rules, and their last agent for sticky routing. */
export async function readNewConversationContext(a: Arrival): Promise<{ rules: Rule[]; previousAgentId: string | null }> {
  const [rules, previousAgentId] = await Promise.all([tenantRoutingRules(a.tx, a.channel.tenantId), previousAgentOfContact(a.tx, a.contact.id)]);
  return { rules, previousAgentId };
}
