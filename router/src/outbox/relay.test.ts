import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../test/support/database.js";
import { inTransaction } from "../db/index.js";
import { EventBatch } from "./append.js";
import type { BusRecord, EventBus } from "./bus.js";
import { relayOnce, startOutboxRelay } from "./relay.js";

const database = await freshDatabase();
afterAll(() => database.close());

/** Commits `perKey` message.received events for each of `keys` conversations, interleaved, 100 per transaction. */
async function commitInterleaved(keys: number, perKey: number): Promise<Map<string, string[]>> {
  const tenantId = randomUUID();
  const conversations = Array.from({ length: keys }, () => randomUUID());
  const byKey = new Map(conversations.map((c) => [c, [] as string[]]));
  const order = Array.from({ length: keys * perKey }, (_, i) => conversations[i % keys]!);
  for (let start = 0; start < order.length; start += 100) {
    const batch = new EventBatch(new Date());
    for (const conversationId of order.slice(start, start + 100)) {
      const e = batch.add("message.received", { tenantId, conversationId }, { cycle: 1, message_id: randomUUID(), wa_message_id: "wamid.t", kind: "text", length: 5 });
      byKey.get(conversationId)!.push(e.id);
    }
    await inTransaction(database.db, (tx) => batch.flush(tx));
  }
  return byKey;
}

/** A bus that holds every publish until released, remembering what it accepted in order. */
function gatedBus() {
  const accepted: BusRecord[] = [];
  const waiting: Array<() => void> = [];
  let inFlight = 0;
  const bus: EventBus = {
    name: "gated",
    async publish(records) {
      inFlight += 1;
      await new Promise<void>((resolve) => waiting.push(resolve));
      accepted.push(...records);
      inFlight -= 1;
    },
    async close() {},
  };
  const releaseAll = () => { for (const release of waiting.splice(0)) release(); };
  return { bus, accepted, releaseAll, inFlight: () => inFlight, waiting: () => waiting.length };
}

/** Waits for a condition (a wait, not a timed assertion: the bound only turns a hang into a clear failure). */
async function until(check: () => boolean, what = "the relay") {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
const drained = async () => Number((await database.sql`SELECT count(*)::int AS n FROM outbox`)[0]!.n) === 0;

describe("the outbox relay's claim", () => {
  it("while one batch is on the bus, the next claim takes other conversations; each keeps its order", async () => {
    const written = await commitInterleaved(40, 10);
    const first = gatedBus();
    const held = relayOnce(database.sql, first.bus, 100);
    await until(() => first.waiting() === 1, "the first batch on the bus");

    const second: BusRecord[] = [];
    const next = await relayOnce(database.sql, { name: "open", publish: async (r) => { second.push(...r); }, close: async () => {} }, 100);
    first.releaseAll();
    const firstResult = await held;

    expect(firstResult.published).toBe(100);
    expect(next.published).toBe(100);
    const firstKeys = new Set(firstResult.records.map((r) => r.key));
    expect(second.some((r) => firstKeys.has(r.key))).toBe(false);
    // Each round starts its conversations from their earliest rows.
    for (const batch of [firstResult.records, second]) {
      for (const key of new Set(batch.map((r) => r.key))) {
        expect(batch.filter((r) => r.key === key).map((r) => r.id)).toEqual(written.get(key)!.slice(0, batch.filter((r) => r.key === key).length));
      }
    }
    while (!(await drained())) await relayOnce(database.sql, { name: "sink", publish: async () => {}, close: async () => {} }, 100);
  });

  it("a relay keeps two rounds in flight, and the whole stream still arrives once, in order per conversation", async () => {
    const written = await commitInterleaved(30, 20);
    const gated = gatedBus();
    const relay = startOutboxRelay({ sql: database.sql, bus: gated.bus, batchSize: 50, pollMs: 5 });
    await until(() => gated.inFlight() === 2, "two rounds on the bus at once");
    const pump = setInterval(gated.releaseAll, 1);
    while (!(await drained())) await new Promise((r) => setTimeout(r, 10));
    await relay.stop();
    clearInterval(pump);

    const ids = gated.accepted.map((r) => r.id);
    expect(new Set(ids).size).toBe(600);
    expect(ids.length).toBe(600);
    for (const [key, expected] of written) {
      expect(gated.accepted.filter((r) => r.key === key).map((r) => r.id)).toEqual(expected);
    }
  });
});
