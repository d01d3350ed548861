import path from "node:path";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  ROUTER_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Unset: the embedded PostgreSQL under CENTRALITA_DATA_DIR. Set: that server (production). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  CENTRALITA_DATA_DIR: z.string().default(path.resolve(import.meta.dirname, "../../.data")),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Meta app secret (webhook signatures) and verify token; required in production, generated when embedded. */
  WHATSAPP_APP_SECRET: z.string().min(16).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8).optional(),
  /** 64 hex chars sealing channel access tokens at rest; required in production, generated when embedded. */
  CENTRALITA_SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i, "64 hex characters").optional(),
  CENTRALITA_DEMO: z.enum(["on", "off"]).optional(),
  /** Embedded demo: days of history generated once through the router in the background at first start (0 = none). */
  CENTRALITA_DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(366).default(90),
  /** The report scheduler's credential (web processes send it): opens only /v1/reports/service/*. Generated when embedded; unset in production: no scheduled reports. */
  REPORTS_SERVICE_TOKEN: z.string().min(32, "at least 32 characters").optional(),
  /** Embedded mode: simulated customers writing to the demo number per minute (0 = none). */
  /** Comma-separated Kafka brokers: the outbox relay publishes there. Unset: the embedded in-process relay. */
  KAFKA_BROKERS: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/, "host:port[,host:port…]").optional(),
  RELAY_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(2000),
  RELAY_DEPTH: z.coerce.number().int().min(1).max(8).default(2),
  /** Group commit of customer messages: at most this many per transaction, and this many transactions at once. */
  INBOUND_BATCH_MAX: z.coerce.number().int().min(1).max(256).default(32),
  INBOUND_BATCH_IN_FLIGHT: z.coerce.number().int().min(1).max(64).default(2),
  SIMULATOR_CUSTOMERS_PER_MINUTE: z.coerce.number().min(0).max(6000).default(6),
});

export type Env = z.infer<typeof schema> & { embedded: boolean };

/** Parsed once at start; a bad or missing setting stops the process with every field's error. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const env = { ...parsed.data, embedded: !parsed.data.DATABASE_URL };
  if (!env.embedded) {
    const missing = (["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "CENTRALITA_SECRET_KEY"] as const).filter((k) => !env[k]);
    if (missing.length) throw new Error(`Invalid configuration:\n${missing.map((k) => `✖ ${k} is required when DATABASE_URL is set`).join("\n")}`);
  }
  return env;
}
