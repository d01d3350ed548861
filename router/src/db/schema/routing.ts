import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.js";
import { teams } from "./teams.js";
import { ruleKindEnum } from "./enums.js";

/**
 * Routing rules, evaluated for a new conversation: a bot-menu choice first, then keywords in the first
 * message, then the contact's phone prefix (longest wins, and it also names the territory), else the
 * workspace's default team.
 */
export const routingRules = pgTable(
  "routing_rules",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    kind: ruleKindEnum("kind").notNull(),
    /** keyword: words or phrase (accent- and case-insensitive); menu: the reply id; phone_prefix: digits. */
    pattern: text("pattern").notNull(),
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    territory: text("territory"),
    priority: integer("priority").notNull().default(100),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("routing_rules_tenant").on(t.tenantId, t.kind)],
);
