import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenants, channels } from "./tenants.js";
import { conversations } from "./conversations.js";
import { agents } from "./agents.js";
import { directionEnum, messageStatusEnum, senderEnum } from "./enums.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    cycle: integer("cycle").notNull(),
    direction: directionEnum("direction").notNull(),
    sender: senderEnum("sender").notNull(),
    agentId: uuid("agent_id").references(() => agents.id),
    kind: text("kind").notNull(),
    body: text("body"),
    /** Meta's message id (wamid); unique per channel so a retried webhook stores a message once. */
    waMessageId: text("wa_message_id"),
    status: messageStatusEnum("status").notNull(),
    errorCode: integer("error_code"),
    /** Outbound only: the Graph API request body (template, interactive, media), when not plain text. */
    payload: jsonb("payload").$type<Record<string, unknown>>(),
    templateName: text("template_name"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at"),
    lastError: text("last_error"),
    sentAt: ts("sent_at"),
    deliveredAt: ts("delivered_at"),
    readAt: ts("read_at"),
    failedAt: ts("failed_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_channel_wa_id").on(t.channelId, t.waMessageId),
    index("messages_conversation").on(t.conversationId, t.createdAt),
    index("messages_send_queue").on(t.nextAttemptAt).where(sql`status = 'queued'`),
  ],
);

/**
 * Status webhooks that arrived before the send that produced their message id was recorded (Meta can be
 * faster than our own commit). Applied as soon as that id is stored, so no status is lost.
 */
export const earlyStatuses = pgTable(
  "early_statuses",
  {
    id: uuid("id").primaryKey(),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    waMessageId: text("wa_message_id").notNull(),
    status: text("status", { enum: ["sent", "delivered", "read", "failed"] }).notNull(),
    errorCode: integer("error_code"),
    at: ts("at").notNull(),
  },
  (t) => [index("early_statuses_wa_id").on(t.channelId, t.waMessageId)],
);

/** A workspace's approved message templates: the only thing that may be sent outside the 24-hour window. */
export const templates = pgTable(
  "templates",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    language: text("language").notNull(),
    category: text("category", { enum: ["utility", "marketing", "authentication"] }).notNull().default("utility"),
    /** Body with {{1}}, {{2}}… placeholders, as approved by Meta. */
    body: text("body").notNull(),
    status: text("status", { enum: ["approved", "pending", "rejected", "paused"] }).notNull().default("approved"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("templates_tenant_name_language").on(t.tenantId, t.name, t.language)],
);

/** Internal notes: visible to the team, never sent to WhatsApp, never in events beyond their length. */
export const notes = pgTable(
  "notes",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    cycle: integer("cycle").notNull(),
    authorId: uuid("author_id").notNull().references(() => agents.id),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("notes_conversation").on(t.conversationId, t.createdAt)],
);
