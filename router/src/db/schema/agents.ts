import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { tenants } from "./tenants.js";
import { presenceEnum, roleEnum } from "./enums.js";

export const agents = pgTable(
  "agents",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: roleEnum("role").notNull().default("agent"),
    capacity: integer("capacity").notNull().default(5),
    presence: presenceEnum("presence").notNull().default("offline"),
    presenceChangedAt: timestamp("presence_changed_at", { withTimezone: true, mode: "date" }),
    /**
     * Open and pending conversations assigned to this agent, kept exact by a trigger on conversations (see
     * migration agent_active_chats_trigger), so capacity checks and least-loaded picks read one row.
     */
    activeChats: integer("active_chats").notNull().default(0),
    /** Tie-break for least loaded: the agent idle longest (oldest last assignment) goes first. */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true, mode: "date" }),
    timeZone: text("time_zone").notNull().default("America/Mexico_City"),
    skills: text("skills").array().notNull().default(sql`'{}'::text[]`),
    locale: text("locale").notNull().default("es-419"),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("agents_email_unique").on(sql`lower(${t.email})`)],
);
