import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState } from "../src/index.js";
import { tempClickHouse, watchingQueries } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The rollup state is read again only when a part of one of its tables changed (`state.ts`): every board of a moment
 * and every poll of a quiet one reuse it. What must hold is that no change is ever missed, for any tenant.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

/** Every part of the state's tables merged into one per partition (what ClickHouse does in the background). */
async function mergeEveryPart(client: ClickHouseClient): Promise<void> {
  for (const table of ["cycle_facts_v2", "cycle_touches", "activity_touches", "cycle_rollup_runs", "activity_counts_runs", "agent_time_sums_builds"]) {
    await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
  }
}

/** The client, counting the statements sent through it. */
function counting(client: ClickHouseClient) {
  const sent: string[] = [];
  return { client: watchingQueries(client, ({ query }) => sent.push(query)), sent };
}

const agent = randomUUID();
const [a, b] = [new History(), new History()];
const first = a.conversation({});
first.open(at("2026-03-02T09:00")).assign(at("2026-03-02T09:01"), agent).agent(at("2026-03-02T09:05"));
const other = b.conversation({});
other.open(at("2026-03-02T10:00")).assign(at("2026-03-02T10:01"), agent).agent(at("2026-03-02T10:05"));

describe("the rollup state", () => {
  it("reads only the tables' parts while nothing changed, and sees every change of either tenant", async () => {
    const { client, sent } = counting(clickhouse.client);
    await loadEvents(client, [...a.events, ...b.events]);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    const settled = await readRollupState(client, a.tenantId, { agentSums: true });
    expect(settled).toMatchObject({ ready: true, hot: [], countsReady: true, hotHours: [], daysReady: true, hotFloorMs: null });

    sent.length = 0;
    expect(await readRollupState(client, a.tenantId, { agentSums: true })).toEqual(settled);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("system.parts");
    // Merges make new parts of the same blocks: the same data for every read of the state, so none is done again.
    await mergeEveryPart(client);
    sent.length = 0;
    expect(await readRollupState(client, a.tenantId, { agentSums: true })).toEqual(settled);
    expect(sent).toHaveLength(1);

    // Tenant A's customer writes again: A's cycle and hour are hot, B's state (same tables, same parts) is not.
    const before = a.events.length;
    first.customer(at("2026-03-02T11:00"));
    await loadEvents(client, a.events.slice(before));
    sent.length = 0;
    // The hot cycle's earliest instant (its start at 09:00) bounds the whole hours the agent board reads summed.
    const hotFloorMs = at("2026-03-02T09:00").getTime();
    expect(await readRollupState(client, a.tenantId, { agentSums: true })).toMatchObject({ hot: [[first.id, 1]], hotHours: ["2026-03-02 11:00:00"], daysReady: true, hotFloorMs });
    // No run since: the runs' watermarks are not read again, only the parts, the tenant's touches and its hot floor.
    expect(sent).toHaveLength(3);
    expect(sent.some((q) => q.includes("max(watermark)"))).toBe(false);
    // With its hot row at hand: a message nobody answered yet changes nothing the agent board sums, so no hour of it
    // needs the cycles.
    expect(await readRollupState(client, a.tenantId, { hotRowsAtOnce: true, agentSums: true })).toMatchObject({ daysReady: true, hotFloorMs: null });
    // A board that reads no sums finds no floor, and may not read them: the parts alone, the rest kept.
    sent.length = 0;
    expect(await readRollupState(client, a.tenantId)).toMatchObject({ hot: [[first.id, 1]], daysReady: false, hotFloorMs: null });
    expect(sent).toHaveLength(1);
    expect(await readRollupState(client, b.tenantId, { agentSums: true })).toMatchObject({ ready: true, hot: [], hotHours: [], hotFloorMs: null });
    expect(await readRollupState(client, a.tenantId)).toMatchObject({ hot: [[first.id, 1]] });

    // With its hot rows computed, a merge keeps them and the floor; a mutation (here: its touches deleted, as a TTL
    // pass of a stalled compactor could) is new data, read again.
    await readRollupState(client, a.tenantId, { hotRowsAtOnce: true, agentSums: true });
    await mergeEveryPart(client);
    sent.length = 0;
    expect(await readRollupState(client, a.tenantId, { hotRowsAtOnce: true, agentSums: true })).toMatchObject({ hot: [[first.id, 1]], hotRows: expect.any(String) });
    expect(sent).toHaveLength(1);
    await client.command({ query: "ALTER TABLE cycle_touches DELETE WHERE conversation_id = {c:UUID}", query_params: { c: first.id }, clickhouse_settings: { mutations_sync: "2" } });
    expect(await readRollupState(client, a.tenantId, { agentSums: true })).toMatchObject({ hot: [], hotFloorMs: null });
    await loadEvents(client, a.events.slice(before));

    // A run compacts it: the state follows the run, not what was read before it.
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readRollupState(client, a.tenantId, { agentSums: true })).toMatchObject({ ready: true, hot: [], hotHours: [], hotFloorMs: null });
  });
});
