import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.js";
import { strategyEnum } from "./enums.js";
import { agents } from "./agents.js";

/** Weekly schedule: ISO weekday (1 = Monday … 7 = Sunday) → list of [start, end) "HH:MM" ranges. */
export type WeeklyHours = Partial<Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", Array<[string, string]>>>;

export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    name: text("name").notNull(),
    department: text("department"),
    timeZone: text("time_zone").notNull().default("America/Mexico_City"),
    businessHours: jsonb("business_hours").$type<WeeklyHours | null>(),
    holidays: jsonb("holidays").$type<string[]>().notNull().default([]),
    strategy: strategyEnum("strategy").notNull().default("round_robin"),
    sticky: boolean("sticky").notNull().default(true),
    agentsSeeAll: boolean("agents_see_all").notNull().default(false),
    isSales: boolean("is_sales").notNull().default(false),
    awayMessage: text("away_message"),
    firstResponseTargetSeconds: integer("first_response_target_seconds"),
    /** Round-robin pointer: the agent who got the last automatic assignment. Survives restarts. */
    rrLastAgentId: uuid("rr_last_agent_id"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [unique("teams_tenant_name").on(t.tenantId, t.name)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    agentId: uuid("agent_id").notNull().references(() => agents.id, { onDelete: "cascade" }),
    /** Order in the round-robin rotation. */
    position: integer("position").notNull().default(0),
    /** Off for members who supervise or observe the team without receiving its chats automatically. */
    autoAssign: boolean("auto_assign").notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.agentId] }), index("team_members_agent").on(t.agentId)],
);
