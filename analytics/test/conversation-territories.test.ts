import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, runMetric, type MetricQuery } from "../src/index.js";
import { runBackfill } from "./support/backfill.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * `conversation_territories` (migration 0011) gives a reopened cycle (which holds no territory of its own) its
 * conversation's: the territory panels must read the same whatever merges have happened, however often the rows
 * are stored (a redelivery, the backfill copying what the view already copied), and after the backfill of a
 * database whose history predates the table.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, ventas] = [randomUUID(), randomUUID()];
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);

// Day 2: Norte and a chat with no territory open and resolve. Day 4: Centro opens; both of day 2 reopen (cycle 2),
// Norte's is won. The range is day 4 alone, so Norte's territory only reaches its cycle 2 through the lookup.
const norte = h.conversation({ teamId: ventas, territory: "Norte" });
norte.open(d(2, "09:00")).assign(d(2, "09:01"), ana).agent(d(2, "09:05")).resolve(d(2, "09:30"));
const none = h.conversation({ teamId: ventas });
none.open(d(2, "11:00")).assign(d(2, "11:01"), ana).agent(d(2, "11:02")).resolve(d(2, "11:30"));
const dayTwo = h.events.length;
const centro = h.conversation({ teamId: ventas, territory: "Centro" });
centro.open(d(4, "10:00")).assign(d(4, "10:01"), ana).agent(d(4, "10:04")).resolve(d(4, "10:30"));
norte.reopen(d(4, "12:00")).assign(d(4, "12:01"), ana).agent(d(4, "12:10")).resolve(d(4, "12:30"), { outcome: "won", value: 100, currency: "MXN" });
none.reopen(d(4, "13:00")).assign(d(4, "13:01"), ana).agent(d(4, "13:03")).resolve(d(4, "13:20"));
// Cycle 1 and cycle 2 in separate inserts: each conversation's rows arrive in separate blocks, as in production.
await loadEvents(client, h.events.slice(0, dayTwo));
await loadEvents(client, h.events.slice(dayTwo));

const day4: MetricQuery = { tenantId: h.tenantId, from: d(4, "00:00"), to: d(5, "00:00"), timeZone: "UTC", bucket: "day" };
// Every cycle re-aggregated from its facts, as before the first compaction: the board looks every reopen's territory up
// here (after one, only a hot conversation's: the rollup stores the rest, migration 0013).
const fromFacts: MetricQuery = { ...day4, rollup: { ready: false, hot: [], countsReady: false, hotHours: [], countDaysReady: false, daysReady: false, hotFloorMs: null, hotTransferFloorMs: null, loadUntilMs: null } };
const byKey = async (id: string, query: MetricQuery) => Object.fromEntries((await runMetric(client, id, query)).rows.map((r) => [r.key, r.value]));
const territoryPanels = async (query = day4) => ({
  volume: await byKey("territory_volume", query), frt: await byKey("territory_first_response_time_avg", query), conversions: await byKey("territory_conversions", query),
});
// By hand: started on day 4, Centro's cycle 1 (FRT 4 min), Norte's cycle 2 (10 min, won) and the other's (3 min).
const expected = { volume: { "": 1, Centro: 1, Norte: 1 }, frt: { "": 180, Centro: 240, Norte: 600 }, conversions: { Norte: 1 } };
const stored = async () => (await (await client.query({
  query: `SELECT toString(conversation_id) AS id, territory, later_territory, toUInt64(reopened_ms) AS reopened_ms
    FROM conversation_territories WHERE tenant_id = {t:UUID}`,
  query_params: { t: h.tenantId }, format: "JSONEachRow", clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
})).json<{ id: string; territory: string; later_territory: string; reopened_ms: number }>());
// Merged, by hand: each reopened conversation's latest start or resolve past cycle 1 (its cycle 2's resolve).
const merged = [
  { id: norte.id, territory: "Norte", later_territory: "", reopened_ms: d(4, "12:30").getTime() },
  { id: none.id, territory: "", later_territory: "", reopened_ms: d(4, "13:20").getTime() },
  { id: centro.id, territory: "Centro", later_territory: "", reopened_ms: 0 },
];
// Its source table is `cycle_facts_v2` since migration 0014 (the same columns).
const backfill = () => runBackfill(client, "0011_conversation_territories.sql", { cycle_facts: "cycle_facts_v2" });

describe("conversation territories", () => {
  it("give a reopened cycle its conversation's territory, from facts and from the rollup", async () => {
    expect(await territoryPanels()).toEqual(expected);
    await compactCycles(client, { now: new Date(Date.now() + 1000), safetyMs: 0 });
    expect(await territoryPanels()).toEqual(expected);
  });

  it("read the same whatever merges have happened and however often a row is stored", async () => {
    await client.command({ query: "SYSTEM STOP MERGES conversation_territories" });
    await loadEvents(client, h.events);
    await backfill();
    expect((await stored()).filter((r) => r.id === norte.id).length).toBeGreaterThanOrEqual(3);
    expect(await territoryPanels(fromFacts)).toEqual(expected);
    await client.command({ query: "SYSTEM START MERGES conversation_territories" });
    await client.command({ query: "OPTIMIZE TABLE conversation_territories FINAL" });
    expect(await stored()).toEqual(expect.arrayContaining(merged));
    expect(await stored()).toHaveLength(3);
    expect(await territoryPanels(fromFacts)).toEqual(expected);
    expect(await territoryPanels()).toEqual(expected);
  });

  it("are filled by the backfill for history stored before the table existed", async () => {
    await client.command({ query: "TRUNCATE TABLE conversation_territories" });
    expect((await territoryPanels(fromFacts)).volume).toEqual({ "": 2, Centro: 1 });
    await backfill();
    await client.command({ query: "OPTIMIZE TABLE conversation_territories FINAL" });
    expect(await stored()).toEqual(expect.arrayContaining(merged));
    expect(await stored()).toHaveLength(3);
    expect(await territoryPanels(fromFacts)).toEqual(expected);
  });
});
