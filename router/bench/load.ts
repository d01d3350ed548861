import http from "node:http";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";
import { inTransaction, type Db } from "../src/db/index.js";
import type { WebhookRequest } from "./scenario.js";

export type LoadResult = {
  elapsedMs: number;
  latencies: number[];
  sent: number;
  ok: number;
  /** Messages the router reported as stored (not duplicates). */
  stored: number;
  errors: Map<string, number>;
  timedOut: boolean;
};

const REQUEST_TIMEOUT_MS = 30_000;

function post(agent: http.Agent, port: number, req: WebhookRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request({
      agent, host: "127.0.0.1", port, method: "POST", path: "/webhooks/whatsapp",
      headers: { "content-type": "application/json", "content-length": req.body.length, "x-hub-signature-256": req.signature },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    r.on("error", reject);
    r.setTimeout(REQUEST_TIMEOUT_MS, () => r.destroy(new Error(`no response in ${REQUEST_TIMEOUT_MS} ms`)));
    r.end(req.body);
  });
}

/**
 * Sends the requests over real HTTP (keep-alive, loopback) with at most `concurrency` in flight; stops
 * issuing new ones at the deadline and waits for those in flight.
 */
export async function fireWebhooks(agent: http.Agent, port: number, reqs: WebhookRequest[], concurrency: number, timeoutMs: number): Promise<LoadResult> {
  const result: LoadResult = { elapsedMs: 0, latencies: [], sent: 0, ok: 0, stored: 0, errors: new Map(), timedOut: false };
  const start = performance.now();
  const deadline = start + timeoutMs;
  let next = 0;
  const fail = (key: string) => result.errors.set(key, (result.errors.get(key) ?? 0) + 1);
  async function worker() {
    while (next < reqs.length) {
      if (performance.now() > deadline) { result.timedOut = true; return; }
      const req = reqs[next++]!;
      result.sent++;
      const t0 = performance.now();
      try {
        const res = await post(agent, port, req);
        result.latencies.push(performance.now() - t0);
        if (res.status !== 200) { fail(`HTTP ${res.status}: ${res.body.slice(0, 120)}`); continue; }
        result.ok++;
        result.stored += (JSON.parse(res.body) as { stored?: number }).stored ?? 0;
      } catch (error) {
        fail(`client: ${(error as Error).message}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, reqs.length) }, worker));
  result.elapsedMs = performance.now() - start;
  return result;
}

/** The baseline's table: the simplest row a transaction can write. */
export const benchBaseline = pgTable("bench_baseline", {
  id: uuid("id").primaryKey(),
  tenantId: uuid("tenant_id").notNull(),
  body: text("body"),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export async function createBaselineTable(db: Db): Promise<void> {
  await db.execute(sql`CREATE TABLE IF NOT EXISTS bench_baseline (
    id uuid PRIMARY KEY, tenant_id uuid NOT NULL, body text, created_at timestamptz NOT NULL DEFAULT now())`);
}

export type BaselineResult = { elapsedMs: number; latencies: number[]; done: number; txPerS: number };

/** `count` single-row INSERT transactions through the router's pool and transaction wrapper, `concurrency` at a time. */
export async function runBaseline(db: Db, tenantId: string, count: number, concurrency: number, timeoutMs: number): Promise<BaselineResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const deadline = start + timeoutMs;
  async function worker() {
    while (next < count && performance.now() < deadline) {
      next++;
      const t0 = performance.now();
      await inTransaction(db, (tx) => tx.insert(benchBaseline).values({ id: uuidv7(), tenantId, body: "Hola" }));
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const elapsedMs = performance.now() - start;
  return { elapsedMs, latencies, done: latencies.length, txPerS: latencies.length / (elapsedMs / 1000) };
}
