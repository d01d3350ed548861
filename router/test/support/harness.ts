import { afterAll } from "vitest";
import { createApp } from "../../src/http/app.js";
import { manualClock } from "../../src/clock.js";
import { signBody } from "../../src/channels/whatsapp/signature.js";
import { freshDatabase } from "./database.js";

export const APP_SECRET = "test-app-secret";
export const VERIFY_TOKEN = "test-verify-token";
export const SECRET_KEY = "7f".repeat(32);
export const REPORTS_SERVICE_TOKEN = "crs_test-reports-service-token-0123456789";

export type Api = Awaited<ReturnType<typeof startHarness>>;
export type Response = { status: number; body: any };

/**
 * The router as the outside world sees it: its HTTP app (the real routes, middleware and validation) over a
 * real Postgres, with a clock the test moves.
 */
export async function startHarness(start = new Date("2026-03-02T15:00:00Z")) {
  const database = await freshDatabase();
  const clock = manualClock(start);
  const deps = { db: database.db, clock, whatsapp: { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN }, secretKey: SECRET_KEY, reportsServiceToken: REPORTS_SERVICE_TOKEN };
  const app = createApp(deps);
  afterAll(() => database.close());

  async function call(method: string, path: string, token?: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed };
  }

  async function webhook(payload: unknown, opts: { secret?: string; signature?: string | null } = {}): Promise<Response> {
    const raw = typeof payload === "string" ? payload : JSON.stringify(payload);
    const headers: Record<string, string> = { "content-type": "application/json" };
    const signature = opts.signature === undefined ? signBody(raw, opts.secret ?? APP_SECRET) : opts.signature;
    if (signature) headers["x-hub-signature-256"] = signature;
    const res = await app.request("/webhooks/whatsapp", { method: "POST", headers, body: raw });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  return { app, deps, clock, db: database.db, sql: database.sql, call, webhook };
}
