import { jsonb, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.js";

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
    /** E.164 digits without '+', as WhatsApp sends `wa_id`. Personal data: never leaves Postgres. */
    phone: text("phone").notNull(),
    name: text("name"),
    territory: text("territory"),
    attributes: jsonb("attributes").$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [unique("contacts_tenant_phone").on(t.tenantId, t.phone)],
);
