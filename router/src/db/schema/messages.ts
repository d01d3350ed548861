import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
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
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("messages_channel_wa_id").on(t.channelId, t.waMessageId),
    index("messages_conversation").on(t.conversationId, t.createdAt),
  ],
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
