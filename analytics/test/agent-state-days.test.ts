import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { metricValue, runMetric, type MetricQuery } from "../src/index.js";
import { runBackfill } from "./support/backfill.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * An agent's presence and capacity "as of" an instant come from `agent_state_days` (migration 0012) for the days
 * before the instant's day and from the raw events of that day: changes days old, at the day's first instant and at
 * the instant itself must all be seen, whatever merges have happened and however often a row is stored.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos, maria, luis] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);
const HOUR = 3600;

// Day 1: everyone but María goes online; Luis's capacity is 3. Day 2: Ana goes away, María online, Luis's capacity 6.
// Day 3 at 00:00 sharp Carlos goes away; at 12:00 sharp ("now", the range end) María goes offline and Luis's capacity
// becomes 9. Luis holds one chat from day 3 06:00, still open at 12:00.
h.presence(ana, "offline", "online", d(1, "10:00"));
h.presence(carlos, "offline", "online", d(1, "08:00"));
h.presence(luis, "offline", "online", d(1, "07:00"));
h.capacity(luis, 5, 3, d(1, "07:00"));
h.presence(ana, "online", "away", d(2, "09:00"));
h.presence(maria, "offline", "online", d(2, "08:00"));
h.capacity(luis, 3, 6, d(2, "18:00"));
h.presence(carlos, "online", "away", d(3, "00:00"));
h.presence(maria, "online", "offline", d(3, "12:00"));
h.capacity(luis, 6, 9, d(3, "12:00"));
h.conversation().open(d(3, "06:00")).assign(d(3, "06:00"), luis).agent(d(3, "06:01"));
await loadEvents(client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: d(3, "00:00"), to: d(3, "12:00"), timeZone: "UTC" };
const byKey = async (id: string) => Object.fromEntries((await runMetric(client, id, range)).rows.map((r) => [r.key, r.value]));
const presenceNow = async () => Promise.all(["agents_online_now", "agents_away_now", "agents_offline_now"].map((id) => metricValue(client, id, range)));

// By hand. Live at 12:00 (a change at the instant counts): Luis online; Ana (day 2) and Carlos (00:00) away; María
// offline at 12:00; Luis's capacity 9. The range [00:00, 12:00) opens with Ana away, Carlos online (day 1) then away at
// once, María and Luis online (day 2, day 1): 12 h each; María's 12:00 change and Luis's capacity 9 fall outside it.
// Luis's chat runs 06:00–12:00: half of his online time, against a capacity of 6.
const expectedNow = [1, 2, 1];
const expectedOnline = { [maria]: 12 * HOUR, [luis]: 12 * HOUR };
async function expectAllPanels(): Promise<void> {
  expect(await presenceNow()).toEqual(expectedNow);
  expect((await runMetric(client, "active_chats_by_agent_now", range)).rows).toEqual([{ key: luis, value: 1, series: "9" }]);
  expect(await byKey("online_time_by_agent")).toEqual(expectedOnline);
  expect(await byKey("capacity_utilization")).toEqual({ [luis]: 0.5 / 6 });
}
const storedRows = async () => Number((await (await client.query({
  query: "SELECT count() AS n FROM agent_state_days WHERE tenant_id = {t:UUID}", query_params: { t: h.tenantId }, format: "JSONEachRow",
})).json<{ n: string }>())[0]!.n);
const backfill = () => runBackfill(client, "0012_agent_state_days.sql");

describe("agent state as of an instant", () => {
  it("sees changes days old, at the day's first instant and at the instant itself", async () => {
    await expectAllPanels();
  });

  it("reads the same whatever merges have happened and however often a change is stored", async () => {
    await client.command({ query: "SYSTEM STOP MERGES agent_state_days" });
    await loadEvents(client, h.events);
    await backfill();
    await expectAllPanels();
    await client.command({ query: "SYSTEM START MERGES agent_state_days" });
    await client.command({ query: "OPTIMIZE TABLE agent_state_days FINAL" });
    // One row per agent, kind and day with a change: 10 changes, Luis's presence and capacity on day 1 apart.
    expect(await storedRows()).toBe(10);
    await expectAllPanels();
  });

  it("is filled by the backfill for history stored before the table existed", async () => {
    await client.command({ query: "TRUNCATE TABLE agent_state_days" });
    // Only day 3's raw changes are left: nobody is known online, Luis's capacity before 12:00 is unknown.
    expect(await presenceNow()).toEqual([0, 1, 1]);
    expect(await byKey("online_time_by_agent")).toEqual({});
    await backfill();
    await expectAllPanels();
  });
});
