import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.js";
import { agents } from "./agents.js";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

export const reportFrequencies = ["daily", "weekly", "monthly"] as const;
export const reportBreakdowns = ["none", "agent", "team", "day", "channel", "territory"] as const;
export const reportFormats = ["csv", "xlsx"] as const;

/**
 * A report a workspace gets every day, week or month: metrics × one breakdown over the last complete period
 * in `time_zone`. `team_ids` is the scope its numbers are limited to (a supervisor's teams); null is every team
 * (only admins make those).
 */
export const reportSchedules = pgTable(
  "report_schedules",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    frequency: text("frequency", { enum: reportFrequencies }).notNull(),
    timeZone: text("time_zone").notNull(),
    metricIds: jsonb("metric_ids").$type<string[]>().notNull(),
    breakdown: text("breakdown", { enum: reportBreakdowns }).notNull().default("none"),
    format: text("format", { enum: reportFormats }).notNull().default("xlsx"),
    locale: text("locale", { enum: ["es-419", "en"] }).notNull().default("es-419"),
    teamIds: jsonb("team_ids").$type<string[] | null>(),
    /** Optional receiver: the file is POSTed there, signed with HMAC-SHA256 under `webhook_secret_sealed`. */
    webhookUrl: text("webhook_url"),
    webhookSecretSealed: text("webhook_secret_sealed"),
    active: boolean("active").notNull().default(true),
    createdBy: uuid("created_by").references(() => agents.id, { onDelete: "set null" }),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [index("report_schedules_tenant").on(t.tenantId)],
);

/**
 * One run of a schedule for one period. The unique (schedule, period) key is the claim: however many web
 * instances run the cron, one inserts the row and makes the file; the others get nothing back. A claim left
 * running too long (its instance died) or a failed run may be taken again, under a new `claim_token`.
 */
export const reportRuns = pgTable(
  "report_runs",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    scheduleId: uuid("schedule_id").notNull().references(() => reportSchedules.id, { onDelete: "cascade" }),
    periodKey: text("period_key").notNull(),
    periodStart: ts("period_start").notNull(),
    periodEnd: ts("period_end").notNull(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    claimToken: uuid("claim_token").notNull(),
    attempts: integer("attempts").notNull().default(1),
    claimedAt: ts("claimed_at").notNull(),
    finishedAt: ts("finished_at"),
    fileName: text("file_name"),
    contentType: text("content_type"),
    content: bytea("content"),
    sizeBytes: integer("size_bytes"),
    webhookStatus: text("webhook_status", { enum: ["delivered", "failed"] }),
    webhookDetail: text("webhook_detail"),
    error: text("error"),
  },
  (t) => [
    uniqueIndex("report_runs_schedule_period").on(t.scheduleId, t.periodKey),
    index("report_runs_tenant_finished").on(t.tenantId, t.finishedAt),
  ],
);
