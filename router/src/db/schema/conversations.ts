import { bigint, boolean, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenants, channels } from "./tenants.js";
import { contacts } from "./contacts.js";
import { teams } from "./teams.js";
import { agents } from "./agents.js";
import { assignmentMethodEnum, conversationStatusEnum, outcomeEnum } from "./enums.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    channelId: uuid("channel_id").notNull().references(() => channels.id),
    contactId: uuid("contact_id").notNull().references(() => contacts.id),
    status: conversationStatusEnum("status").notNull().default("open"),
    cycle: integer("cycle").notNull().default(1),
    cycleStartedAt: ts("cycle_started_at").notNull(),
    teamId: uuid("team_id").references(() => teams.id),
    assigneeId: uuid("assignee_id").references(() => agents.id),
    assignedAt: ts("assigned_at"),
    territory: text("territory"),
    outOfHours: boolean("out_of_hours").notNull().default(false),
    isLead: boolean("is_lead").notNull().default(false),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** First customer message not yet answered by an agent; null when nobody is waiting. */
    waitingSince: ts("waiting_since"),
    lastMessageAt: ts("last_message_at").notNull(),
    lastInboundAt: ts("last_inbound_at"),
    resolvedAt: ts("resolved_at"),
    resolvedAssigneeId: uuid("resolved_assignee_id"),
    outcome: outcomeEnum("outcome"),
    dealValue: numeric("deal_value", { precision: 14, scale: 2 }),
    currency: text("currency"),
    lossReason: text("loss_reason"),
    /** Inbox order in one key: waiting customers oldest first, then the rest by latest activity. */
    sortKey: bigint("sort_key", { mode: "number" }).generatedAlwaysAs(
      sql`CASE WHEN waiting_since IS NOT NULL THEN (extract(epoch from (waiting_since - '1970-01-01 00:00:00+00'::timestamptz)) * 1000)::bigint
          ELSE 4000000000000000 - (extract(epoch from (last_message_at - '1970-01-01 00:00:00+00'::timestamptz)) * 1000)::bigint END`,
    ),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("conversations_one_live_per_contact")
      .on(t.channelId, t.contactId)
      .where(sql`status <> 'resolved'`),
    index("conversations_assignee_active").on(t.assigneeId).where(sql`status <> 'resolved'`),
    index("conversations_inbox").on(t.tenantId, t.sortKey, t.id),
    index("conversations_queue").on(t.tenantId, t.teamId, t.cycleStartedAt).where(sql`assignee_id IS NULL AND status = 'open'`),
    index("conversations_contact").on(t.contactId, t.resolvedAt),
  ],
);

/** Assignment history: one row per stint of an owner (agent or team queue) within a cycle. */
export const assignments = pgTable(
  "assignments",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    cycle: integer("cycle").notNull(),
    agentId: uuid("agent_id").references(() => agents.id),
    teamId: uuid("team_id").references(() => teams.id),
    method: assignmentMethodEnum("method").notNull(),
    assignedBy: uuid("assigned_by"),
    startedAt: ts("started_at").notNull(),
    endedAt: ts("ended_at"),
    endReason: text("end_reason"),
  },
  (t) => [index("assignments_conversation").on(t.conversationId, t.startedAt)],
);

export const transfers = pgTable(
  "transfers",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    cycle: integer("cycle").notNull(),
    fromAgentId: uuid("from_agent_id"),
    fromTeamId: uuid("from_team_id"),
    toAgentId: uuid("to_agent_id"),
    toTeamId: uuid("to_team_id"),
    reason: text("reason"),
    noteId: uuid("note_id"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("transfers_conversation").on(t.conversationId, t.createdAt)],
);
