import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, type MetricQuery } from "../src/index.js";
import { NO_ROLLUP } from "../src/rollup/state.js";
import { agentBoard, readsResolvesFromCycles as readsResolvesFromCyclesIn } from "./support/agent-board.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

/**
 * The agent sums per tag (migration 0025): each contribution of a cycle is written under '' and under each tag of its
 * cycle, so a view of one tag reads its whole days summed, as a view of one team does, where it read every cycle of its
 * range. A cycle's tags are its own (a reopen's cycle has the tags added in it), and a tag added after a run changes the
 * sums of that tag only.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const h = new History();
const chat = () => h.conversation({ teamId: randomUUID() });
// K1 (vip), 03-03: Ana answers in 5 min, wins 1,000 MXN at 10:00, CSAT 5.
chat().open(at("2026-03-03T09:00")).tag(at("2026-03-03T09:00"), "vip").assign(at("2026-03-03T09:01"), ana).agent(at("2026-03-03T09:05"))
  .resolve(at("2026-03-03T10:00"), { outcome: "won", value: 1000, currency: "MXN" }).csat(at("2026-03-03T10:00"), 5);
// K2 (no tag), 03-03: Carlos answers in 3 min, resolves in 30, CSAT 3.
chat().open(at("2026-03-03T11:00")).assign(at("2026-03-03T11:01"), carlos).agent(at("2026-03-03T11:03"))
  .resolve(at("2026-03-03T11:30")).csat(at("2026-03-03T11:30"), 3);
// K3 (vip and queja), 03-04: Carlos answers in 10 min, resolves at 09:40, CSAT 4. The customer reopens at 12:00; that
// cycle is tagged vip only; Ana answers in 4 min and wins 200 USD at 13:00. The reopen counts to Carlos, on 09:40.
const k3 = chat();
k3.open(at("2026-03-04T09:00")).tag(at("2026-03-04T09:00"), "vip").assign(at("2026-03-04T09:01"), carlos).tag(at("2026-03-04T09:02"), "queja")
  .agent(at("2026-03-04T09:10")).resolve(at("2026-03-04T09:40")).csat(at("2026-03-04T09:40"), 4)
  .reopen(at("2026-03-04T12:00")).tag(at("2026-03-04T12:00"), "vip").assign(at("2026-03-04T12:01"), ana).agent(at("2026-03-04T12:04"))
  .resolve(at("2026-03-04T13:00"), { outcome: "won", value: 200, currency: "USD" });
// K4, 03-04: Ana answers in 6 min and resolves at 15:30. It is tagged queja (at 15:10) only after a run.
const k4 = chat();
k4.open(at("2026-03-04T15:00")).assign(at("2026-03-04T15:01"), ana).agent(at("2026-03-04T15:06")).resolve(at("2026-03-04T15:30"));
await loadEvents(client, h.events);

// Two whole UTC days: once compacted, the sums alone answer for them.
const days: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-03T00:00"), to: at("2026-03-05T00:00"), timeZone: "UTC" };
const tagged = (tag: string): MetricQuery => ({ ...days, filters: { tag } });
const board = (q: MetricQuery) => agentBoard(client, q);
const readsResolvesFromCycles = async (q: MetricQuery) => readsResolvesFromCyclesIn(q, await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true }));

// By hand. vip: K1 and both cycles of K3. Ana resolves K1 (1 h) and K3's second cycle (1 h), both won; her first
// responses 300 and 240 s. Carlos resolves K3's first cycle (40 min, CSAT 4), first response 600 s, and its reopen is
// vip (the reopening cycle is): 1 of 1.
const vip = {
  agent_conversations_resolved: { [ana]: 2, [carlos]: 1 },
  agent_resolution_time_avg: { [ana]: 3600, [carlos]: 2400 },
  agent_csat_avg: { [ana]: 5, [carlos]: 4 },
  agent_revenue: { [`${ana}/MXN`]: 1000, [`${ana}/USD`]: 200 },
  agent_first_response_time_avg: { [ana]: mean([300, 240]), [carlos]: 600 },
  agent_reopen_rate: { [carlos]: 1 },
};
// queja: K3's first cycle only (its reopening cycle is not tagged queja: no reopen counts).
const queja = {
  agent_conversations_resolved: { [carlos]: 1 },
  agent_resolution_time_avg: { [carlos]: 2400 },
  agent_csat_avg: { [carlos]: 4 },
  agent_revenue: {},
  agent_first_response_time_avg: { [carlos]: 600 },
  agent_reopen_rate: {},
};
// Once K4 is tagged queja: Ana's resolve (30 min) and first response (360 s) too.
const quejaWithK4 = {
  ...queja,
  agent_conversations_resolved: { [ana]: 1, [carlos]: 1 },
  agent_resolution_time_avg: { [ana]: 1800, [carlos]: 2400 },
  agent_first_response_time_avg: { [ana]: 360, [carlos]: 600 },
};

describe("the agent sums per tag", () => {
  it("answer a tag's view from the sums alone, as its cycles do", async () => {
    expect(await board(tagged("vip"))).toEqual(vip);
    expect(await board(tagged("queja"))).toEqual(queja);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    for (const [tag, expected] of [["vip", vip], ["queja", queja]] as const) {
      expect(await readsResolvesFromCycles(tagged(tag))).toBe(false);
      expect(await board(tagged(tag))).toEqual(expected);
    }
    // Every tag: the four conversations, as from their facts alone (the rows under '' hold each cycle once).
    expect(await readsResolvesFromCycles(days)).toBe(false);
    const whole = await board(days);
    expect(whole.agent_conversations_resolved).toEqual({ [ana]: 3, [carlos]: 2 });
    expect(whole).toEqual(await board({ ...days, rollup: NO_ROLLUP }));
    // A tag no cycle has: nothing, not every tag's rows; nor a tag of '', which the cycles are read for, as before.
    expect(Object.values(await board(tagged("nadie"))).every((values) => Object.keys(values).length === 0)).toBe(true);
    expect(await readsResolvesFromCycles(tagged(""))).toBe(true);
    expect(Object.values(await board(tagged(""))).every((values) => Object.keys(values).length === 0)).toBe(true);
  });

  it("counts a tag added after a run under that tag, before the next run and after", async () => {
    // Tagged at 15:10, while Ana held it: the event carries her as the assignee, as the router writes it.
    const before = h.events.length;
    k4.assignee = ana;
    k4.tag(at("2026-03-04T15:10"), "queja");
    await loadEvents(client, h.events.slice(before));
    // K4 is hot: what it changes in the sums is its contributions added under queja (its resolve, first response,
    // answered run and Ana's stint, which the resolve ended), and nothing under ''.
    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    const changes = (state.agentDelta ?? "").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as Record<string, number | string>);
    expect(changes.map((c) => [c.sign, c.tag, c.resolved ?? c.frt_n ?? c.response_n ?? c.stint_n]).sort()).toEqual([[1, "queja", 1], [1, "queja", 1], [1, "queja", 1], [1, "queja", 1]]);
    expect(changes.map((c) => c.resolution_s ?? c.frt_sum ?? c.response_ms ?? c.stint_ms).sort()).toEqual([360, 1800, 360_000, 1_740_000].sort());
    expect(await readsResolvesFromCycles(tagged("queja"))).toBe(false);
    expect(await board(tagged("queja"))).toEqual(quejaWithK4);
    expect(await board(tagged("vip"))).toEqual(vip);
    await pastWatermark(await compactCycles(client, { now: later(2), safetyMs: 0 }));
    expect(await readRollupState(client, h.tenantId, { agentSums: true })).toMatchObject({ hotFloorMs: null });
    expect(await board(tagged("queja"))).toEqual(quejaWithK4);
    expect(await board(tagged("queja"))).toEqual(await board({ ...tagged("queja"), rollup: NO_ROLLUP }));
  });
});
