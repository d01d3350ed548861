import { uuidv7 } from "uuidv7";
import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import type { Reply } from "./automation/csat.js";
import type { InboundMessage } from "./inbound.js";
import { readPastAll, type Past } from "./inbound-past.js";
import { cachedRoutingConfig, loadRoutingConfig, type RoutingConfig } from "./routing-config.js";

/** What the inbound path knows once the contact is locked: which number, which workspace, which customer, and his past there. */
export type Arrival = {
  tx: Tx; events: EventBatch; now: Date; msg: InboundMessage; reply: Reply;
  channel: { id: string; tenantId: string; reopenWindowSeconds: number; defaultTeamId: string | null; configVersion: string };
  contact: { id: string; inserted: boolean };
  past: Past;
};

/** A message's share of `arriveTogether`: its row of the contacts' upsert and its past. */
export type ArrivalRead = { row: ArrivalRow; past: Past };

export type ArrivalRow = {
  channel_id: string; tenant_id: string; reopen_window_seconds: number; default_team_id: string | null; config_version: string;
  contact_id: string; inserted: boolean;
};

/**
 * One round trip for one or more customers' messages (never one phone twice): the numbers' channel and
 * workspace settings and the contacts upserted (`arriveAll`), then each customer's past (`readPastAll`),
 * pipelined. The upsert takes the contact's row lock, which serialises one customer's messages; so the
 * reads behind it see what his previous message committed. Undefined for an unknown number.
 */
export function arriveTogether(tx: Tx, now: Date, msgs: InboundMessage[]): Promise<Array<ArrivalRead | undefined>> {
  const rows = arriveAll(tx, msgs);
  const past = readPastAll(tx, now, msgs);
  return Promise.all([rows, past]).then(([r, p]) => r.map((row, i) => row && { row, past: p[i]! }));
}

export async function arrive(tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Promise<Arrival | null> {
  const [read] = await arriveTogether(tx, now, [msg]);
  return read ? arrivalOf(read, tx, events, now, msg) : null;
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

export function arrivalOf({ row, past }: ArrivalRead, tx: Tx, events: EventBatch, now: Date, msg: InboundMessage): Arrival {
  const channel = {
    id: row.channel_id, tenantId: row.tenant_id, reopenWindowSeconds: row.reopen_window_seconds, defaultTeamId: row.default_team_id,
    configVersion: row.config_version,
  };
  const contact = { id: row.contact_id, inserted: row.inserted };
  const reply = { tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, msg, now };
  return { tx, events, now, msg, reply, channel, contact, past };
}

/** What placing a message needs: the customer's past and the workspace's teams and rules. */
export type PlacementContext = Past & { config: RoutingConfig };

/** The workspace's teams and rules come from this process's copy, read again (one more round trip) only when stale. */
export async function readPlacementContext(a: Arrival): Promise<PlacementContext> {
  const { tx, channel } = a;
  const config = cachedRoutingConfig(channel.tenantId, channel.configVersion) ?? await loadRoutingConfig(rawSql(tx), channel.tenantId, channel.configVersion);
  return { ...a.past, config };
}
