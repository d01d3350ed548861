import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse, watchingQueries } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * A team or tag filter counts each agent's transfers over the cycles that pass it, which the statement finds among the
 * cycles alive around the range (the rollup prunes the rest of the history): a cycle opened days before the range and
 * transferred in it counts; a transfer before the range does not, on a cycle of the same team. Compacted, the whole
 * hours of a team's or a tag's view (migration 0025) are read summed (migration 0024), the rest and a hot cycle's new
 * transfer from the cycles.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos, maria, ventas, soporte] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);
// A (Ventas, vip): opened two days before the range, Ana → Carlos in it.
h.conversation({ teamId: ventas }).open(d(1, "09:00")).assign(d(1, "09:01"), ana).agent(d(1, "09:05")).tag(d(1, "09:06"), "vip")
  .transfer(d(3, "10:00"), carlos).agent(d(3, "10:05")).resolve(d(3, "11:00"));
// B (Soporte): María → Ana in the range.
h.conversation({ teamId: soporte }).open(d(3, "09:00")).assign(d(3, "09:01"), maria).agent(d(3, "09:05"))
  .transfer(d(3, "09:30"), ana).agent(d(3, "09:35")).resolve(d(3, "10:00"));
// C (Ventas): Carlos → Ana two days before the range, resolved then.
h.conversation({ teamId: ventas }).open(d(1, "09:00")).assign(d(1, "09:01"), carlos).agent(d(1, "09:05"))
  .transfer(d(1, "10:00"), ana).agent(d(1, "10:05")).resolve(d(1, "11:00"));
// D (Ventas): Carlos → María in the range, still open at its end.
h.conversation({ teamId: ventas }).open(d(3, "12:00")).assign(d(3, "12:01"), carlos).agent(d(3, "12:05")).transfer(d(3, "12:30"), maria);

const day3: MetricQuery = { tenantId: h.tenantId, from: d(3, "00:00"), to: d(4, "00:00"), timeZone: "UTC", bucket: "day" };
const read: string[] = [];
const client = watchingQueries(clickhouse.client, (q) => read.push(q.query));
const counts = async (filters: MetricQuery["filters"], range = day3) => {
  const byKey = async (id: string) => Object.fromEntries((await runMetric(client, id, { ...range, filters })).rows.map((r) => [r.key, r.value]));
  return { out: await byKey("agent_transfers_out"), in: await byKey("agent_transfers_in") };
};
// By hand: in the range, A Ana → Carlos, B María → Ana, D Carlos → María; C's transfer is before it.
const expected = {
  all: { out: { [ana]: 1, [maria]: 1, [carlos]: 1 }, in: { [carlos]: 1, [ana]: 1, [maria]: 1 } },
  ventas: { out: { [ana]: 1, [carlos]: 1 }, in: { [carlos]: 1, [maria]: 1 } },
  soporte: { out: { [maria]: 1 }, in: { [ana]: 1 } },
  vip: { out: { [ana]: 1 }, in: { [carlos]: 1 } },
};
const everyFilter = async () => ({
  all: await counts({}), ventas: await counts({ teamIds: [ventas] }), soporte: await counts({ teamIds: [soporte] }), vip: await counts({ tag: "vip" }),
});

describe("an agent's transfers under a team or tag filter", () => {
  it("counts the range's transfers of the cycles that pass, from the facts and from the rollup", async () => {
    await loadEvents(clickhouse.client, h.events);
    expect(await everyFilter()).toEqual(expected);
    await pastWatermark(await compactCycles(clickhouse.client, { now: later(1), safetyMs: 0 }));
    expect(await everyFilter()).toEqual(expected);
  });

  it("reads a team's or tag's whole hours summed once compacted, its partial hours from the cycles", async () => {
    const views: Array<[MetricQuery["filters"], typeof expected.all]> = [[{ teamIds: [ventas] }, expected.ventas], [{ tag: "vip" }, expected.vip]];
    for (const [filters, byHand] of views) {
      read.length = 0;
      expect(await counts(filters)).toEqual(byHand);
      expect(read.some((q) => q.includes("xfer_out_n")), JSON.stringify(filters)).toBe(true);
      expect(read.some((q) => q.includes("cycle_rollup")), JSON.stringify(filters)).toBe(false);
    }
    // 09:45–12:15 by hand: A's transfer (10:00) in it; B's (09:30) and D's (12:30) outside. Summed 10:00–12:00.
    const partial = { ...day3, from: d(3, "09:45"), to: d(3, "12:15") };
    read.length = 0;
    expect(await counts({ teamIds: [ventas] }, partial)).toEqual({ out: { [ana]: 1 }, in: { [carlos]: 1 } });
    expect(await counts({ teamIds: [soporte] }, partial)).toEqual({ out: {}, in: {} });
    expect(read.some((q) => q.includes("xfer_out_n") && q.includes("cycle_rollup"))).toBe(true);
  });

  it("counts a hot cycle's new transfer from its stints' start, before and after the next run", async () => {
    // E (Soporte): opened at 13:00 and compacted waiting in the queue; at 14:00 transferred from it to Ana, after the run.
    let before = h.events.length;
    const e = h.conversation({ teamId: soporte }).open(d(3, "13:00"));
    await loadEvents(clickhouse.client, h.events.slice(before));
    await pastWatermark(await compactCycles(clickhouse.client, { now: later(1), safetyMs: 0 }));
    before = h.events.length;
    e.transfer(d(3, "14:00"), ana);
    await loadEvents(clickhouse.client, h.events.slice(before));
    const withE = { out: expected.soporte.out, in: { [ana]: 2 } };
    const allWithE = { out: expected.all.out, in: { ...expected.all.in, [ana]: 2 } };
    expect(await counts({ teamIds: [soporte] })).toEqual(withE);
    expect(await counts({})).toEqual(allWithE);
    await compactCycles(clickhouse.client, { now: later(1), safetyMs: 0 });
    expect(await counts({ teamIds: [soporte] })).toEqual(withE);
    expect(await counts({})).toEqual(allWithE);
  });
});
