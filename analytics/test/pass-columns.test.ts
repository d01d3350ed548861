import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, dashboards, metricValue, runDashboard, runMetricsFor, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

/**
 * A pass over the cycles aggregates `GROUP BY ()`, so a statement computes only the columns its panels read: a panel
 * run alone, a report's cells. Each must give what the whole board gives, its columns computed beside the rest (one
 * column's alias can be defined in another's expression), and over a range with no cycles the one row an aggregation
 * gives over nothing: counts 0, averages and shares null.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos, team] = [randomUUID(), randomUUID(), randomUUID()];
const h = new History();
// C1, a lead: Ana answers in 5 min, transfers to Carlos, who wins 1,000 MXN at 09:30; CSAT 5.
h.conversation({ teamId: team, isLead: true }).open(at("2026-03-02T09:00")).assign(at("2026-03-02T09:01"), ana).agent(at("2026-03-02T09:05"))
  .transfer(at("2026-03-02T09:10"), carlos).agent(at("2026-03-02T09:12")).resolve(at("2026-03-02T09:30"), { outcome: "won", value: 1000, currency: "MXN" })
  .csat(at("2026-03-02T09:30"), 5);
// C2: Carlos answers in 4 min and resolves at 10:30, CSAT 3; the customer reopens at 11:00, Carlos answers in 3 min and
// resolves at 11:20. Its second cycle's survey (4) arrives after a compaction: that cycle is then hot.
const c2 = h.conversation({ teamId: team });
c2.open(at("2026-03-02T10:00")).assign(at("2026-03-02T10:02"), carlos).agent(at("2026-03-02T10:04"))
  .resolve(at("2026-03-02T10:30")).csat(at("2026-03-02T10:30"), 3)
  .reopen(at("2026-03-02T11:00")).assign(at("2026-03-02T11:01"), carlos).agent(at("2026-03-02T11:03")).resolve(at("2026-03-02T11:20"));
const lateSurvey = (() => {
  const from = h.events.length;
  c2.csat(at("2026-03-02T11:20"), 4);
  return h.events.splice(from);
})();
await loadEvents(client, h.events);

const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00"), to: at("2026-03-03T00:00"), timeZone: "UTC" };
const dayBefore: MetricQuery = { ...day, from: at("2026-03-01T00:00"), to: at("2026-03-02T00:00") };

// By hand, the day: three cycles resolved (C1, both of C2's), two new and one reopen; first responses 300, 240, 180 s.
// Their p90, interpolated between the sorted values (180, 240, 300) at 0.9 × 2 = 1.8. C2's first resolve reopened: 1 of
// 3. Surveys 5 and 3. One lead, won. One transfer, in a cycle that was resolved.
const byHand: Record<string, number> = {
  conversations_opened: 2, conversations_reopened: 1, conversations_resolved: 3, first_response_time_avg: mean([300, 240, 180]),
  first_response_time_p90: 240 + 0.8 * (300 - 240), reopens: 1, reopen_rate: 1 / 3, csat_avg: mean([5, 3]), conversions: 1, multi_transfer_conversations: 0,
  escalations: 0, bot_handled: 0,
};
// Over no cycles: counts 0, averages and shares of nothing null.
const nothing: Record<string, number | null> = {
  conversations_opened: 0, conversations_reopened: 0, conversations_resolved: 0, first_response_time_avg: null, first_response_time_p90: null,
  reopens: 0, reopen_rate: null, csat_avg: null, conversions: 0, multi_transfer_conversations: 0, escalations: 0, bot_handled: 0,
};

/** Every scalar panel of every board, by metric id, as the boards give them (every column of their passes). */
async function boardScalars(q: MetricQuery): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  for (const board of dashboards) {
    for (const p of await runDashboard(client, board.id, q)) if (p.result?.kind === "scalar") out.set(p.metricId, p.result.rows[0]?.value ?? null);
  }
  return out;
}

describe("a pass's columns computed apart", () => {
  it("give each panel alone what the board gives, by hand, from the facts, compacted and with a hot cycle", async () => {
    const check = async (expected: Record<string, number>) => {
      const boards = await boardScalars(day);
      for (const [id, value] of Object.entries(expected)) {
        expect(await metricValue(client, id, day), id).toBeCloseTo(value, 9);
        expect(boards.get(id), id).toBeCloseTo(value, 9);
      }
      for (const [id, value] of boards) expect(await metricValue(client, id, day), id).toEqual(value);
    };
    await check(byHand);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    await check(byHand);
    // The late survey: C2's second cycle answered 4.
    await loadEvents(client, lateSurvey);
    await check({ ...byHand, csat_avg: mean([5, 3, 4]) });
  });

  it("give a report's cells, a few metrics a row, what the board gives", async () => {
    const ids = ["first_response_time_avg", "reopen_rate", "csat_avg", "transfers", "conversion_rate"];
    const [forCarlos, total] = await runMetricsFor(client, ids, [{ ...day, filters: { agentId: carlos } }, day]);
    const boards = await boardScalars(day);
    expect(total!.map((r) => r.rows[0]?.value)).toEqual(ids.map((id) => boards.get(id)));
    // The cycles Carlos was assigned: C1 (its first response Ana's, 300 s) and both of C2's.
    expect(forCarlos![0]!.rows[0]?.value).toBeCloseTo(mean([300, 240, 180]), 9);
  });

  it("give one row over a range with no cycles: counts 0, averages and shares null", async () => {
    const boards = await boardScalars(dayBefore);
    for (const [id, value] of Object.entries(nothing)) {
      expect(await metricValue(client, id, dayBefore), id).toBe(value);
      expect(boards.get(id), id).toBe(value);
    }
  });
});
