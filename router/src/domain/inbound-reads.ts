import { uuidv7 } from "uuidv7";
import { conversations } from "../db/schema/index.js";
import { iso, rawSql, rowMapper } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import type { Conversation } from "../assignment/assign.js";
import { surveyQuery, type Reply } from "./automation/csat.js";
import type { InboundMessage } from "./inbound.js";
import { cachedRoutingConfig, loadRoutingConfig, type RoutingConfig } from "./routing-config.js";

/** What the inbound path knows once the contact is locked: which number, which workspace, which customer. */
export type Arrival = {
  tx: Tx; events: EventBatch; now: Date; msg: InboundMessage; reply: Reply;
  channel: { id: string; tenantId: string; reopenWindowSeconds: number; defaultTeamId: string | null; configVersion: string };
  contact: { id: string; inserted: boolean };
};

export type ArrivalRow = {
  channel_id: string; tenant_id: string; reopen_window_seconds: number; default_team_id: string | null; config_version: string;
  contact_id: string; inserted: boolean;
};

/**
 * One round trip: the number's channel and workspace settings, and the contact upserted. The upsert takes
 * the contact's row lock, which serialises one customer's messages; so every later read, in later
 * statements, sees what the previous message of this customer committed. Null for an unknown number.
 */
export async function arrive(tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Promise<Arrival | null> {
  const [row] = await arriveAll(tx, [msg]);
  return row ? arrivalOf(row, tx, events, now, msg) : null;
}

/**
 * `arrive` for several customers' messages (never one phone twice), in one statement: the
 * contacts are upserted in phone order, the order every batch uses, so two batches never deadlock on them.
 * The rows come back in the messages' order; undefined for an unknown number.
 */
export async function arriveAll(tx: Tx, msgs: InboundMessage[]): Promise<Array<ArrivalRow | undefined>> {
  const order = msgs.map((_, i) => i).sort((a, b) => (msgs[a]!.from < msgs[b]!.from ? -1 : msgs[a]!.from > msgs[b]!.from ? 1 : 0));
  const col = <T>(f: (m: InboundMessage) => T) => order.map((i) => f(msgs[i]!));
  const rows = await rawSql(tx)<Array<ArrivalRow & { ord: number }>>`
    WITH input AS (
      SELECT * FROM unnest(${order}::int[], ${col((m) => m.phoneNumberId)}::text[], ${col((m) => m.from)}::text[],
        ${col((m) => m.contactName ?? null)}::text[], ${col(() => uuidv7())}::uuid[]) WITH ORDINALITY AS i(ord, phone_number_id, phone, name, new_id, n)),
    ch AS (
      SELECT i.ord, i.n, i.phone, i.name, i.new_id, c.id, c.tenant_id, t.reopen_window_seconds, t.default_team_id, t.config_version::text
      FROM input i JOIN channels c ON c.phone_number_id = i.phone_number_id JOIN tenants t ON t.id = c.tenant_id),
    contact AS (
      INSERT INTO contacts (id, tenant_id, phone, name) SELECT new_id, tenant_id, phone, name FROM ch ORDER BY n
      ON CONFLICT (tenant_id, phone) DO UPDATE SET name = coalesce(excluded.name, contacts.name)
      RETURNING id, tenant_id, phone, (xmax = 0) AS inserted)
    SELECT ch.ord, ch.id AS channel_id, ch.tenant_id, ch.reopen_window_seconds, ch.default_team_id, ch.config_version,
      contact.id AS contact_id, contact.inserted
    FROM ch JOIN contact ON contact.tenant_id = ch.tenant_id AND contact.phone = ch.phone`;
  const byMessage: Array<ArrivalRow | undefined> = msgs.map(() => undefined);
  for (const row of rows) byMessage[row.ord] = row;
  return byMessage;
}

export function arrivalOf(row: ArrivalRow, tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Arrival {
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

type FoundRow = Record<string, unknown> & { found: "live" | "reopenable" | "extra"; stored: boolean; survey_id: string | null; survey_cycle: number | null };

/**
 * A known contact's past on this number in one statement: its live conversation and the resolved one it may
 * reopen, both locked (in that order, as every inbound path locks them), whether Meta is resending a stored
 * message, and the survey it may be answering. One row per conversation found, plus one for the rest.
 */
function readPast(a: Arrival): Promise<FoundRow[]> {
  const { tx, channel, contact } = a;
  const sql = rawSql(tx);
  const since = new Date(a.now.getTime() - channel.reopenWindowSeconds * 1000);
  const survey = surveyQuery(tx, a.reply);
  return sql<FoundRow[]>`WITH
    live AS (SELECT * FROM conversations WHERE channel_id = ${channel.id} AND contact_id = ${contact.id} AND status <> 'resolved'
      FOR NO KEY UPDATE),
    reopenable AS (SELECT * FROM conversations WHERE channel_id = ${channel.id} AND contact_id = ${contact.id} AND status = 'resolved'
      AND resolved_at >= ${iso(since)} ORDER BY resolved_at DESC LIMIT 1 FOR NO KEY UPDATE),
    extra AS (SELECT EXISTS (SELECT 1 FROM messages WHERE channel_id = ${channel.id} AND wa_message_id = ${a.msg.waMessageId}) AS stored,
      ${survey ? sql`s.id AS survey_id, s.cycle AS survey_cycle FROM (SELECT 1) one LEFT JOIN (${survey}) s ON true` : sql`NULL::uuid AS survey_id, NULL::int AS survey_cycle`})
    SELECT 'live' AS found, l.*, e.* FROM live l CROSS JOIN extra e
    UNION ALL SELECT 'reopenable', r.*, e.* FROM reopenable r CROSS JOIN extra e
    UNION ALL SELECT 'extra', (NULL::conversations).*, e.* FROM extra e`;
}

/**
 * What a message's placement needs: for a known contact, its past on this number (`readPast`); the
 * workspace's teams and rules only when this process's copy is stale, in the same round trip.
 */
export async function readPlacementContext(a: Arrival): Promise<PlacementContext> {
  const { tx, channel, contact } = a;
  const [rows, config] = await Promise.all([
    contact.inserted ? [] : readPast(a),
    cachedRoutingConfig(channel.tenantId, channel.configVersion) ?? loadRoutingConfig(rawSql(tx), channel.tenantId, channel.configVersion),
  ]);
  const row = (found: FoundRow["found"]) => rows.find((r) => r.found === found);
  const extra = row("extra");
  const live = row("live");
  const reopenable = row("reopenable");
  return {
    duplicate: extra?.stored ?? false, survey: extra?.survey_id ? { id: extra.survey_id, cycle: extra.survey_cycle! } : undefined,
    live: live && asConversation(live), reopenable: reopenable && asConversation(reopenable), config,
  };
}
