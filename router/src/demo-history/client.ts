import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../db/schema/index.js";
import type { Db } from "../db/index.js";
import { createApp } from "../http/app.js";
import type { manualClock } from "../clock.js";
import { signBody } from "../channels/whatsapp/signature.js";
import { webhookEnvelope } from "../channels/whatsapp/simulator/webhook.js";

export type HistoryClock = ReturnType<typeof manualClock>;
export type ApiAnswer = { status: number; body: any };
export type Counters = { outboxEvents: number; requests: number; refused: number };

/**
 * Its own small pool on the same database (the generator counts its events with `outboxTally`). Its sessions commit without
 * waiting for the WAL flush (synchronous_commit off): tens of thousands of small commits are otherwise
 * bound by fsync, and a crash can only lose the last moments of generated past, which a resume redoes.
 */
export function connectHistoryDatabase(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 8, onnotice: () => {}, prepare: true, connection: { synchronous_commit: "off" } });
  return { db: drizzle(sql, { schema }) as Db, close: () => sql.end({ timeout: 5 }) };
}

/**
 * A second router app over the same database with a clock the generator moves: the same routes, validation,
 * signature checks and commands as live traffic, called in-process (no sockets). It has no dispatcher: the
 * generator plays Meta and accepts its own outbound messages (see meta.ts).
 */
export function historyApi(db: Db, appSecret: string, secretKey: string, clock: HistoryClock, counters: Counters) {
  const app = createApp({ db, clock, whatsapp: { appSecret, verifyToken: "demo-history" }, secretKey });

  async function call(method: string, path: string, token: string, body?: unknown): Promise<ApiAnswer> {
    counters.requests++;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await app.fetch(new Request(`http://history.local${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
    const text = await res.text();
    const answer = { status: res.status, body: text ? JSON.parse(text) : null };
    if (res.status >= 400) counters.refused++;
    return answer;
  }

  /** One signed webhook in Meta's shape, for the channel's number. */
  async function webhook(phoneNumberId: string, value: Record<string, unknown>): Promise<ApiAnswer> {
    counters.requests++;
    const raw = JSON.stringify(webhookEnvelope("102290129340398", { display_phone_number: "525555550000", phone_number_id: phoneNumberId }, value));
    const res = await app.fetch(new Request("http://history.local/webhooks/whatsapp", {
      method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signBody(raw, appSecret) }, body: raw,
    }));
    const text = await res.text();
    if (res.status !== 200) throw new Error(`webhook refused: ${res.status} ${text}`);
    return { status: res.status, body: JSON.parse(text) };
  }

  async function login(email: string, password: string): Promise<string> {
    counters.requests++;
    const res = await app.fetch(new Request("http://history.local/v1/auth/login", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }),
    }));
    const body = await res.json() as { token?: string };
    if (res.status !== 200 || !body.token) throw new Error(`demo history: ${email} could not sign in (${res.status})`);
    return body.token;
  }

  return { clock, call, webhook, login };
}
export type HistoryApi = ReturnType<typeof historyApi>;
