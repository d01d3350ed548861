import { bigint, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** A workspace: one company. Every other row belongs to exactly one. */
export const tenants = pgTable("tenants", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  reopenWindowSeconds: integer("reopen_window_seconds").notNull().default(7 * 24 * 3600),
  firstResponseTargetSeconds: integer("first_response_target_seconds").notNull().default(300),
  defaultTeamId: uuid("default_team_id"),
  /**
   * Bumped by triggers whenever the workspace's routing configuration (teams, routing rules) changes, so the
   * inbound path can keep that configuration in memory and know, from a column it reads anyway, when it is stale.
   */
  configVersion: bigint("config_version", { mode: "number" }).notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** A WhatsApp Business number. Several per workspace feed one shared inbox. */
export const channels = pgTable("channels", {
  id: uuid("id").primaryKey(),
  tenantId: uuid("tenant_id").notNull().references(() => tenants.id),
  name: text("name").notNull(),
  phoneNumberId: text("phone_number_id").notNull().unique(),
  displayPhone: text("display_phone").notNull(),
  /** Graph API endpoint: Meta's in production, the simulator's in the embedded mode and in tests. */
  graphApiBaseUrl: text("graph_api_base_url").notNull().default("https://graph.facebook.com"),
  graphApiVersion: text("graph_api_version").notNull().default("v21.0"),
  /** The system-user access token, AES-256-GCM sealed with the deployment's secret key; never returned by the API. */
  accessTokenSealed: text("access_token_sealed"),
  /** Meta's default throughput for a number is 80 messages per second. */
  sendRatePerSecond: integer("send_rate_per_second").notNull().default(80),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
