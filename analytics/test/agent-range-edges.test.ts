import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, runDashboard, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

// The agent board sums each cycle's runs and stints per agent (migration 0017) and takes back off the ones outside the
// range: cycles alive across either end of it, with items on both sides, an item exactly on each end, and the same
// conversation handled in two cycles of the range.
const [ana, carlos] = [randomUUID(), randomUUID()];
const h = new History();
// E1 crosses the range start: its first run (23:50 → 23:55) starts before it; Ana's stint ends exactly at it (00:00).
const e1 = h.conversation();
e1.open(at("2026-03-01T23:50:00")).assign(at("2026-03-01T23:51:00"), ana).agent(at("2026-03-01T23:55:00"))
  .transfer(at("2026-03-02T00:00:00"), carlos).customer(at("2026-03-02T00:10:00")).agent(at("2026-03-02T00:12:00"))
  .resolve(at("2026-03-02T00:30:00"));
// E2 crosses the range end: its second run starts exactly at it (not inside), Carlos' stint and Ana's end after it.
h.conversation().open(at("2026-03-02T23:40:00")).assign(at("2026-03-02T23:41:00"), carlos).agent(at("2026-03-02T23:45:00"))
  .customer(at("2026-03-03T00:00:00")).agent(at("2026-03-03T00:06:00")).transfer(at("2026-03-03T00:10:00"), ana)
  .agent(at("2026-03-03T00:15:00")).resolve(at("2026-03-03T00:20:00"));
// E3 inside the range, twice (a reopen): one conversation Ana handled.
h.conversation().open(at("2026-03-02T10:00:00")).assign(at("2026-03-02T10:01:00"), ana).agent(at("2026-03-02T10:03:00"))
  .resolve(at("2026-03-02T10:10:00")).reopen(at("2026-03-02T12:00:00")).assign(at("2026-03-02T12:01:00"), ana)
  .agent(at("2026-03-02T12:05:00")).resolve(at("2026-03-02T12:10:00"));
// E4 open all through the range, its only run and its stint's start before it: handled, nothing else.
h.conversation().open(at("2026-03-01T20:00:00")).assign(at("2026-03-01T20:01:00"), carlos).agent(at("2026-03-01T20:05:00"));
await loadEvents(client, h.events);

const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00:00"), to: at("2026-03-03T00:00:00"), timeZone: "UTC" };
// By hand. Handled: Ana E1 (wrote 23:55), E2 (wrote 00:15), E3 (once for both cycles); Carlos E1, E2, E4.
// Runs started in the range: Ana E3 10:00 → 10:03 and 12:00 → 12:05; Carlos E1 00:10 → 00:12 and E2 23:40 → 23:45.
// Stints ended in the range: Ana E1 23:51 → 00:00, E3 10:01 → 10:10 and 12:01 → 12:10; Carlos E1 00:00 → 00:30.
const expected = {
  agent_conversations_handled: { [ana]: 3, [carlos]: 3 },
  agent_response_time_avg: { [ana]: mean([180, 300]), [carlos]: mean([120, 300]) },
  agent_handle_time_avg: { [ana]: mean([540, 540, 540]), [carlos]: 1800 },
};

async function agentBoard(): Promise<Record<string, Record<string, number | null>>> {
  const panels = await runDashboard(client, "agent_performance", day);
  return Object.fromEntries(Object.keys(expected).map((id) => [id,
    Object.fromEntries((panels.find((p) => p.metricId === id)?.result?.rows ?? []).map((r) => [r.key, r.value]))]));
}

describe("agent board at the range's ends", () => {
  it("counts only the runs and stints inside the range, from the facts and from the rollup", async () => {
    expect(await agentBoard()).toEqual(expected);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await agentBoard()).toEqual(expected);
  });

  it("keeps them with an edge cycle hot, re-aggregated and then read back from the state's rows", async () => {
    e1.note(at("2026-03-02T00:31:00"), carlos);
    await loadEvents(client, h.events.slice(-1));
    const state = await readRollupState(client, h.tenantId);
    expect(state.hot.map(([conversation]) => conversation)).toEqual([e1.id]);
    expect(await agentBoard()).toEqual(expected);
    expect(await agentBoard()).toEqual(expected);
    expect((await readRollupState(client, h.tenantId)).hotRows).toBeDefined();
  });
});
