import { describe, expect, it } from "vitest";
import { createBatcher, type BatcherOptions } from "./batcher.js";
import type { IngestMessage } from "./steps.js";

type Part = IngestMessage[];
/** A batcher whose parts are message lists, handed to `write` flattened. */
const batcherOf = (o: Omit<BatcherOptions<Part>, "rowsOf" | "write"> & { write: (m: IngestMessage[], heartbeat: () => Promise<void>) => Promise<void> }) =>
  createBatcher<Part>({ ...o, rowsOf: (p) => p.length, write: (parts, heartbeat) => o.write(parts.flat(), heartbeat) });

const messages = (n: number, tag: string): IngestMessage[] => Array.from({ length: n }, (_, i) => ({ key: tag, value: `${tag}${i}` }));

describe("the ClickHouse batcher", () => {
  it("merges concurrent submissions into one insert once the row threshold is reached", async () => {
    const writes: string[][] = [];
    const batcher = batcherOf({ maxRows: 5, maxWaitMs: 60_000, write: async (m) => { writes.push(m.map((x) => x.value)); } });
    await Promise.all([batcher.submit(messages(2, "p0-")), batcher.submit(messages(3, "p1-"))]);
    expect(writes).toEqual([["p0-0", "p0-1", "p1-0", "p1-1", "p1-2"]]);
  });

  it("writes a small batch after the time threshold", async () => {
    const writes: number[] = [];
    const batcher = batcherOf({ maxRows: 1000, maxWaitMs: 20, write: async (m) => { writes.push(m.length); } });
    await batcher.submit(messages(3, "x"));
    expect(writes).toEqual([3]);
  });

  it("settles a submitter only after the insert holding its messages was acknowledged, one insert at a time", async () => {
    const events: string[] = [];
    let inFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const batcher = batcherOf({
      maxRows: 2, maxWaitMs: 60_000,
      write: async (m) => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        if (m[0]!.key === "first") await gate;
        events.push(`ack ${m[0]!.key}`);
        inFlight -= 1;
      },
    });
    const first = batcher.submit(messages(2, "first")).then(() => events.push("settled first"));
    const second = batcher.submit(messages(2, "second")).then(() => events.push("settled second"));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(["ack first", "settled first", "ack second", "settled second"]);
  });

  it("rejects every submitter of a failed insert, so none of them commits its position", async () => {
    const batcher = batcherOf({ maxRows: 4, maxWaitMs: 60_000, write: async () => { throw new Error("clickhouse down"); } });
    const results = await Promise.allSettled([batcher.submit(messages(2, "a")), batcher.submit(messages(2, "b"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("the ClickHouse batcher with known submitters", () => {
  it("flushes as soon as every active submitter has handed in, without waiting for the timer", async () => {
    const writes: number[] = [];
    const batcher = batcherOf({ maxRows: 1_000_000, maxWaitMs: 60_000, activeSubmitters: () => 2, write: async (m) => { writes.push(m.length); } });
    await Promise.all([batcher.submit(messages(3, "a")), batcher.submit(messages(4, "b"))]);
    expect(writes).toEqual([7]);
  });
});

describe("the ClickHouse batcher while an insert runs", () => {
  it("gathers what arrives meanwhile into the next insert, written as soon as the sink is free", async () => {
    const writes: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const batcher = batcherOf({
      maxRows: 100, maxWaitMs: 60_000, activeSubmitters: () => 0,
      write: async (m) => { if (m[0]!.key === "a") await gate; writes.push(m.map((x) => x.value)); },
    });
    const first = batcher.submit(messages(1, "a"));
    await new Promise((r) => setImmediate(r));
    const later = [batcher.submit(messages(1, "b")), batcher.submit(messages(1, "c"))];
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([["a0"], ["b0", "c0"]]);
  });

  it("makes submitters wait for room only while a full insert is already queued behind the running one", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const batcher = batcherOf({ maxRows: 2, maxWaitMs: 60_000, write: async () => { await gate; } });
    const acks = [batcher.submit(messages(2, "a"))];
    let roomAfterFirst = false;
    await batcher.room().then(() => { roomAfterFirst = true; });
    expect(roomAfterFirst).toBe(true);
    acks.push(batcher.submit(messages(2, "b")));
    let roomAfterSecond = false;
    const room = batcher.room().then(() => { roomAfterSecond = true; });
    await new Promise((r) => setImmediate(r));
    expect(roomAfterSecond).toBe(false);
    release();
    await room;
    await Promise.all(acks);
    await batcher.drain();
  });
});
