import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState } from "../src/index.js";
import { computeHotRows } from "../src/rollup/hot-rows.js";
import { tempClickHouse, watchingQueries } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The hot rows are kept per conversation while its touches stay the same (`hot-rows.ts`): new facts cost their
 * conversations' rows only. What must hold is that the rows read are always those the facts give now.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

/** The client, keeping the conversations each hot rows computation was sent for. */
function recording(client: ClickHouseClient) {
  const computedFor: string[][] = [];
  const watched = watchingQueries(client, ({ query, query_params }) => {
    if (query.includes("derive_from")) computedFor.push([...(query_params!.hot_conversations as string[])].sort());
  });
  return { client: watched, computedFor };
}

/** A text's rows apart from its header, in order: the same rows whatever order the conversations came in. */
const rowsOf = (text: string | undefined) => text?.split("\n").slice(2).filter((line) => line !== "").sort();

const agent = randomUUID();
const h = new History();
const conversations = [0, 1, 2, 3].map((i) => {
  const c = h.conversation({ territory: `T${i}` });
  c.open(at(`2026-03-02T0${i}:00`)).assign(at(`2026-03-02T0${i}:01`), agent).agent(at(`2026-03-02T0${i}:05`));
  return c;
});
const [a, b, , d] = conversations;

describe("hot rows kept per conversation", () => {
  it("computes again only the conversations whose facts changed, and reads what the facts give now", async () => {
    const { client, computedFor } = recording(clickhouse.client);
    await loadEvents(client, h.events);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    const writeAgain = async (write: () => void) => {
      const before = h.events.length;
      write();
      await loadEvents(client, h.events.slice(before));
    };
    const state = (options: Parameters<typeof readRollupState>[2]) => readRollupState(client, h.tenantId, options);
    const fromScratch = async () => rowsOf((await computeHotRows(clickhouse.client, h.tenantId, (await state({})).hot)).text);

    // Every customer writes again: four hot conversations, their rows computed at once.
    await writeAgain(() => conversations.forEach((c, i) => c.customer(at(`2026-03-02T0${i}:30`))));
    expect(rowsOf((await state({ hotRowsAtOnce: true })).hotRows)).toEqual(await fromScratch());
    expect(computedFor.pop()).toEqual(conversations.map((c) => c.id).sort());

    // The agent answers A: its rows alone computed, on the first read.
    await writeAgain(() => a!.agent(at("2026-03-02T00:40")));
    const afterA = await state({ hotRowsAtOnce: true });
    expect(computedFor.pop()).toEqual([a!.id]);
    expect(rowsOf(afterA.hotRows)).toEqual(await fromScratch());
    computedFor.length = 0;

    // A statement reading the hot facts once waits for a second read of the same facts; then B's rows alone.
    await writeAgain(() => b!.agent(at("2026-03-02T01:40")));
    expect((await state({})).hotRows).toBeUndefined();
    expect(rowsOf((await state({})).hotRows)).toEqual(await fromScratch());
    expect(computedFor.slice(0, 1)).toEqual([[b!.id]]);
    computedFor.length = 0;

    // A and B tagged: both computed, on the first read, and C's and D's kept.
    await writeAgain(() => [a!, b!].forEach((c, i) => c.tag(at(`2026-03-02T0${i}:50`), "vip")));
    expect(rowsOf((await state({ hotRowsAtOnce: true })).hotRows)).toEqual(await fromScratch());
    expect(computedFor.slice(0, 1)).toEqual([[a!.id, b!.id].sort()]);
    computedFor.length = 0;

    // A mutation of the facts (D's removed): what they held may have changed with no touch, so all computed again.
    await client.command({ query: "ALTER TABLE cycle_facts_v2 DELETE WHERE conversation_id = {c:UUID}", query_params: { c: d!.id }, clickhouse_settings: { mutations_sync: "2" } });
    const afterMutation = await state({ hotRowsAtOnce: true });
    expect(rowsOf(afterMutation.hotRows)).toEqual(await fromScratch());
    expect(computedFor.slice(0, 1)).toEqual([conversations.map((c) => c.id).sort()]);
  });
});
