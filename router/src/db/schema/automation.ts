import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenants } from "./tenants.js";
import { teams } from "./teams.js";
import { agents } from "./agents.js";
import { conversations } from "./conversations.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** One escalation step: after this long unanswered, alert, hand to the next agent, or hand to a supervisor. */
export type EscalationStep = { afterSeconds: number; action: "alert" | "reassign" | "supervisor" };

/** Workspace-wide automation settings; a workspace without a row uses the column defaults. */
export const automationSettings = pgTable("automation_settings", {
  tenantId: uuid("tenant_id").primaryKey().references(() => tenants.id),
  csatEnabled: boolean("csat_enabled").notNull().default(false),
  /** A pending conversation (waiting on the customer) with no message for this long is resolved as expired. */
  pendingExpirySeconds: integer("pending_expiry_seconds").notNull().default(24 * 3600),
  /** No user input in the browser for this long (heartbeat idleSeconds): the agent is set away. */
  idleTimeoutSeconds: integer("idle_timeout_seconds").notNull().default(10 * 60),
  /** No heartbeat for this long: the session is gone and the agent is set away. */
  disconnectTimeoutSeconds: integer("disconnect_timeout_seconds").notNull().default(90),
  /** How long an agent set away by automation keeps his chats before they are reassigned. */
  reassignGraceSeconds: integer("reassign_grace_seconds").notNull().default(120),
  /** Null: the default ladder (reassign after 10 minutes). */
  escalationSteps: jsonb("escalation_steps").$type<EscalationStep[] | null>(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Per-team overrides; null inherits the workspace's setting. */
export const teamAutomation = pgTable("team_automation", {
  teamId: uuid("team_id").primaryKey().references(() => teams.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
  csatEnabled: boolean("csat_enabled"),
  escalationSteps: jsonb("escalation_steps").$type<EscalationStep[] | null>(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/**
 * What automation already did for one cycle of a conversation. Jobs claim this row under the
 * conversation's lock and check it before acting, so every effect happens once however many router
 * instances run the job, and a job that missed its time (downtime) catches up from these timestamps.
 */
export const slaCycles = pgTable(
  "sla_cycles",
  {
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    cycle: integer("cycle").notNull(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** The customer wait (conversations.waiting_since) the alert and escalation columns refer to. */
    waitStartedAt: ts("wait_started_at"),
    alertedAt: ts("alerted_at"),
    /** Escalation steps already taken for this wait. */
    escalationStep: integer("escalation_step").notNull().default(0),
    /** First-response target missed: once per cycle. */
    breachedAt: ts("breached_at"),
    awaySentAt: ts("away_sent_at"),
    csatRequestedAt: ts("csat_requested_at"),
    /** The survey was due but could not be sent (24-hour window closed). */
    csatSkippedAt: ts("csat_skipped_at"),
    csatScore: integer("csat_score"),
    csatScoredAt: ts("csat_scored_at"),
    csatCommentLength: integer("csat_comment_length"),
    /** csat.submitted emitted: with the comment, or when the comment window passed without one. */
    csatSubmittedAt: ts("csat_submitted_at"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.conversationId, t.cycle] }),
    index("sla_cycles_csat_open").on(t.csatScoredAt).where(sql`csat_score IS NOT NULL AND csat_submitted_at IS NULL`),
  ],
);

/**
 * Durable alerts the inbox shows: the agent named sees his own, supervisors see their teams'. One row per
 * alert (not per recipient); `dedupe_key` makes a retried job write it once.
 */
export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    kind: text("kind", { enum: ["sla_breached", "escalated"] }).notNull(),
    conversationId: uuid("conversation_id").notNull().references(() => conversations.id),
    cycle: integer("cycle").notNull(),
    teamId: uuid("team_id"),
    /** The agent the alert is about: the assignee when the target passed, the receiver of an escalation. */
    agentId: uuid("agent_id").references(() => agents.id),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text("dedupe_key").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("alerts_dedupe").on(t.tenantId, t.dedupeKey),
    index("alerts_agent").on(t.agentId, t.id),
    index("alerts_team").on(t.tenantId, t.teamId, t.id),
  ],
);

/** The browser's heartbeat: last seen (session alive) and last input (not idle), and automation's away mark. */
export const agentActivity = pgTable("agent_activity", {
  agentId: uuid("agent_id").primaryKey().references(() => agents.id, { onDelete: "cascade" }),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
  lastSeenAt: ts("last_seen_at").notNull(),
  lastActiveAt: ts("last_active_at").notNull(),
  /** Set with agents.presence_changed_at when automation set the agent away; equal while nothing changed since. */
  autoAwayAt: ts("auto_away_at"),
  autoAwaySource: text("auto_away_source", { enum: ["idle_timeout", "disconnect"] }),
});
