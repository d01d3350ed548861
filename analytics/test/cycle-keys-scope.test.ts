import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, runDashboard, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * A cycle key that is an OR ("started in the range or resolved in it") must stay inside the tenant and the
 * rollup's own tests: written into the rollup read without parentheses, its second half read every tenant's
 * cycles, and hot cycles a second time (once re-aggregated from their facts, once as their stale compacted copy).
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);
const [ana, beto, ventas, soporte] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];

// Ours, team Ventas: X opens and is won on day 4 (30 min); Y opened on day 2 and is resolved on day 4 at 11:00
// (49 h after it opened), so only "resolved in the range" brings it in.
const ours = new History();
const x = ours.conversation({ teamId: ventas });
x.open(d(4, "10:00")).assign(d(4, "10:01"), ana).agent(d(4, "10:05")).resolve(d(4, "10:30"), { outcome: "won", value: 100, currency: "MXN" });
ours.conversation({ teamId: ventas }).open(d(2, "10:00")).assign(d(2, "10:01"), ana).agent(d(2, "10:02")).resolve(d(4, "11:00"));
// Another tenant, team Soporte, won and resolved in the same range.
const theirs = new History();
theirs.conversation({ teamId: soporte }).open(d(4, "09:00")).assign(d(4, "09:01"), beto).agent(d(4, "09:02"))
  .resolve(d(4, "09:20"), { outcome: "won", value: 50, currency: "MXN" });

const day4: MetricQuery = { tenantId: ours.tenantId, from: d(4, "00:00"), to: d(5, "00:00"), timeZone: "UTC", bucket: "day" };
const teamPanels = async () => {
  const panels = await runDashboard(client, "teams_territories", day4);
  const byKey = (id: string) => Object.fromEntries((panels.find((p) => p.metricId === id)?.result?.rows ?? []).map((r) => [r.key, r.value]));
  return { conversions: byKey("team_conversions"), resolution: byKey("team_resolution_time_avg") };
};
// By hand: one sale (X); resolution times 30 min and 49 h, both Ventas.
const expected = { conversions: { [ventas]: 1 }, resolution: { [ventas]: (30 * 60 + 49 * 3600) / 2 } };

describe("cycle keys", () => {
  it("keep another tenant's cycles and a hot cycle's compacted copy out of the teams board", async () => {
    await loadEvents(client, [...ours.events, ...theirs.events]);
    expect(await teamPanels()).toEqual(expected);

    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await teamPanels()).toEqual(expected);

    // X's survey is answered after the run: X is hot again, re-aggregated from its facts.
    const before = ours.events.length;
    x.csat(d(4, "10:30"), 5, d(4, "10:40"));
    await loadEvents(client, ours.events.slice(before));
    expect(await teamPanels()).toEqual(expected);
  });
});
