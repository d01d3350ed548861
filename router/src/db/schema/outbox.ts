import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import type { EventEnvelope } from "../../events/index.js";

/**
 * Transactional outbox: each row is written in the transaction of the state change it describes.
 * Relays claim rows by state (FOR UPDATE SKIP LOCKED), never by id order, and delete them once the bus has
 * them. `created_at` is the clock at insert (not at transaction start): writers hold the conversation's lock
 * when they insert, so within one key it follows commit order, which is the order relays publish in.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull(),
    type: text("type").notNull(),
    key: text("key").notNull(),
    envelope: jsonb("envelope").$type<EventEnvelope>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().default(sql`clock_timestamp()`),
    publishedAt: timestamp("published_at", { withTimezone: true, mode: "date" }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  // One index besides the key: the claim walks it in (created_at, id) order and keeps the rows of the keys it
  // owns. A (key, created_at, id) index cost every event an index entry (a fifth of a new chat's index writes)
  // and no claim used it.
  (t) => [
    index("outbox_unpublished").on(t.createdAt, t.id).where(sql`published_at IS NULL`),
  ],
);
