import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher.js";
import type { IngestMessage } from "./steps.js";

const messages = (n: number, tag: string): IngestMessage[] => Array.from({ length: n }, (_, i) => ({ key: tag, value: `${tag}${i}` }));

describe("the ClickHouse batcher", () => {
  it("merges concurrent submissions into one insert once the row threshold is reached", async () => {
    const writes: string[][] = [];
    const batcher = createBatcher({ maxRows: 5, maxWaitMs: 60_000, write: async (m) => { writes.push(m.map((x) => x.value)); } });
    await Promise.all([batcher.submit(messages(2, "p0-")), batcher.submit(messages(3, "p1-"))]);
    expect(writes).toEqual([["p0-0", "p0-1", "p1-0", "p1-1", "p1-2"]]);
  });

  it("writes a small batch after the time threshold", async () => {
    const writes: number[] = [];
    const batcher = createBatcher({ maxRows: 1000, maxWaitMs: 20, write: async (m) => { writes.push(m.length); } });
    await batcher.submit(messages(3, "x"));
    expect(writes).toEqual([3]);
  });

  it("settles a submitter only after the insert holding its messages was acknowledged, one insert at a time", async () => {
    const events: string[] = [];
    let inFlight = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const batcher = createBatcher({
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
    const batcher = createBatcher({ maxRows: 4, maxWaitMs: 60_000, write: async () => { throw new Error("clickhouse down"); } });
    const results = await Promise.allSettled([batcher.submit(messages(2, "a")), batcher.submit(messages(2, "b"))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

describe("the ClickHouse batcher with known submitters", () => {
  it("flushes as soon as every active submitter has handed in, without waiting for the timer", async () => {
    const writes: number[] = [];
    const batcher = createBatcher({ maxRows: 1_000_000, maxWaitMs: 60_000, activeSubmitters: () => 2, write: async (m) => { writes.push(m.length); } });
    await Promise.all([batcher.submit(messages(3, "a")), batcher.submit(messages(4, "b"))]);
    expect(writes).toEqual([7]);
  });
});
