import type postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { conversations } from "../db/schema/index.js";
import { iso, rawSql, rowMapper } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import type { Conversation } from "../assignment/assign.js";
import { lookUpSurvey, type Reply } from "./automation/csat.js";
import type { InboundMessage } from "./inbound.js";
import { cachedRoutingConfig, loadRoutingConfig, type RoutingConfig } from "./routing-config.js";

/** What the inbound path knows once the contact is locked: which number, which workspace, which customer. */
export type Arrival = {
  tx: Tx; events: EventBatch; now: Date; msg: InboundMessage; reply: Reply;
  channel: { id: string; tenantId: string; reopenWindowSeconds: number; defaultTeamId: string | null; configVersion: string };
  contact: { id: string; inserted: boolean };
};

type ArrivalRow = {
  channel_id: string; tenant_id: string; reopen_window_seconds: number; default_team_id: string | null; config_version: string;
  contact_id: string; inserted: boolean;
};

/**
 * One round trip: the number's channel and workspace settings, and the contact upserted. The upsert takes
 * the contact's row lock, which serialises one customer's messages; so every later read, in later
 * statements, sees what the previous message of this customer committed. Null for an unknown number.
 */
export async function arrive(tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Promise<Arrival | null> {
  const [row] = await rawSql(tx)<ArrivalRow[]>`
    WITH ch AS (
      SELECT c.id, c.tenant_id, t.reopen_window_seconds, t.default_team_id, t.config_version::text FROM channels c JOIN tenants t ON t.id = c.tenant_id
      WHERE c.phone_number_id = ${msg.phoneNumberId}),
    contact AS (
      INSERT INTO contacts (id, tenant_id, phone, name) SELECT ${uuidv7()}, ch.tenant_id, ${msg.from}, ${msg.contactName ?? null} FROM ch
      ON CONFLICT (tenant_id, phone) DO UPDATE SET name = coalesce(excluded.name, contacts.name)
      RETURNING id, (xmax = 0) AS inserted)
    SELECT ch.id AS channel_id, ch.tenant_id, ch.reopen_window_seconds, ch.default_team_id, ch.config_version, contact.id AS contact_id, contact.inserted
    FROM ch, contact`;
  if (!row) return null;
  const channel = {
    id: row.channel_id, tenantId: row.tenant_id, reopenWindowSeconds: row.reopen_window_seconds, defaultTeamId: row.default_team_id,
    configVersion: row.config_version,
  };
  const contact = { id: row.contact_id, inserted: row.inserted };
  const reply = { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, newContact: contact.inserted, msg, now };
  return { tx, events, now, msg, reply, channel, contact };
}

/** What placing a message needs, read in one round trip. */
export type PlacementContext = {
  /** This WhatsApp id is already stored: a retry by Meta. Exact, because the contact's lock orders its messages. */
  duplicate: boolean;
  survey?: { id: string; cycle: number };
  live?: Conversation;
  reopenable?: Conversation;
  config: RoutingConfig;
};

const asConversation = rowMapper(conversations);

const findLiveConversation = (sql: postgres.TransactionSql, channelId: string, contactId: string) => sql`
  SELECT * FROM conversations WHERE channel_id = ${channelId} AND contact_id = ${contactId} AND status <> 'resolved'
  FOR NO KEY UPDATE`;

const isStored = (sql: postgres.TransactionSql, channelId: string, waMessageId: string) => sql`
  SELECT 1 FROM messages WHERE channel_id = ${channelId} AND wa_message_id = ${waMessageId}`;

const findReopenable = (sql: postgres.TransactionSql, channelId: string, contactId: string, since: Date) => sql`
  SELECT * FROM conversations WHERE channel_id = ${channelId} AND contact_id = ${contactId} AND status = 'resolved'
    AND resolved_at >= ${iso(since)} ORDER BY resolved_at DESC LIMIT 1
  FOR NO KEY UPDATE`;

/**
 * The reads a message's placement may need, pipelined: for a known contact, whether Meta is resending a stored
 * message, the survey it may be answering,
 * its live conversation and the one it may reopen (both locked, in that order); the workspace's teams and
 * rules only when this process's copy is stale.
 */
export async function readPlacementContext(a: Arrival): Promise<PlacementContext> {
  const { tx, channel, contact } = a;
  const sql = rawSql(tx);
  const known = !contact.inserted;
  const since = new Date(a.now.getTime() - channel.reopenWindowSeconds * 1000);
  const [stored, survey, live, reopenable, config] = await Promise.all([
    known ? isStored(sql, channel.id, a.msg.waMessageId) : [],
    (known && lookUpSurvey(tx, a.reply)) || [],
    known ? findLiveConversation(sql, channel.id, contact.id) : [],
    known ? findReopenable(sql, channel.id, contact.id, since) : [],
    cachedRoutingConfig(channel.tenantId, channel.configVersion) ?? loadRoutingConfig(sql, channel.tenantId, channel.configVersion),
  ]);
  return { duplicate: stored.length > 0, survey: survey[0], live: live[0] && asConversation(live[0]), reopenable: reopenable[0] && asConversation(reopenable[0]), config };
}
