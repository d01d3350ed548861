import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const schema = z.object({
  HOST: z.string().default("127.0.0.1"),
  WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Unset: the embedded router on this machine. Set: a deployed router (production). */
  ROUTER_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Signs the session cookie; required with ROUTER_URL, generated and kept in the data directory otherwise. */
  SESSION_SECRET: z.string().min(32, "at least 32 characters").optional(),
  /** Dashboards and exports read this ClickHouse server (production); the embedded launcher passes its own. */
  CLICKHOUSE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CENTRALITA_DATA_DIR: z.string().default(path.join(repoRoot, ".data")),
  /** The router's report-scheduler credential; unset with ROUTER_URL: no scheduled reports from this process. */
  REPORTS_SERVICE_TOKEN: z.string().min(32, "at least 32 characters").optional(),
  /** How often this process compacts cycles for the dashboards (0: another process does). Runs may overlap safely. */
  ANALYTICS_COMPACT_EVERY_MS: z.coerce.number().int().min(0).default(10_000),
});

export type WebEnv = {
  host: string; port: number; routerUrl: string; sessionSecret: string; embedded: boolean; clickhouseUrl: string | null; reportsServiceToken: string | null;
  compactEveryMs: number;
};

/** Next to an embedded router on this machine: the credential it generated and keeps in the shared data directory. */
function embeddedReportsToken(dataDir: string): string | null {
  const file = path.join(dataDir, "secrets.json");
  if (!existsSync(file)) return null;
  return (JSON.parse(readFileSync(file, "utf8")) as { reportsServiceToken?: string }).reportsServiceToken ?? null;
}

/** The embedded mode makes its session secret once and keeps it, so a restart does not sign everyone out. */
export function loadOrCreateSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, "web-secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as { sessionSecret?: string };
    if (stored.sessionSecret) return stored.sessionSecret;
  }
  const sessionSecret = randomBytes(32).toString("hex");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ sessionSecret }, null, 2), { mode: 0o600 });
  return sessionSecret;
}

/** Parsed once at start; a bad or missing setting stops the process with every field's error. */
export function loadWebEnv(source: NodeJS.ProcessEnv = process.env): WebEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const embedded = !env.ROUTER_URL;
  if (!embedded && !env.SESSION_SECRET) throw new Error("Invalid configuration:\n✖ SESSION_SECRET is required when ROUTER_URL is set");
  return {
    host: env.HOST,
    port: env.WEB_PORT,
    routerUrl: env.ROUTER_URL ?? `http://127.0.0.1:${source.ROUTER_PORT ?? 4000}`,
    sessionSecret: env.SESSION_SECRET ?? loadOrCreateSessionSecret(env.CENTRALITA_DATA_DIR),
    embedded,
    clickhouseUrl: env.CLICKHOUSE_URL ?? null,
    reportsServiceToken: env.REPORTS_SERVICE_TOKEN ?? (embedded ? embeddedReportsToken(env.CENTRALITA_DATA_DIR) : null),
    compactEveryMs: env.ANALYTICS_COMPACT_EVERY_MS,
  };
}
