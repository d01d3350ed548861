import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, runDashboard, type MetricQuery } from "../src/index.js";
import { loadWindow } from "../src/query/input.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The workload board's hours (migration 0019): a compacted range of whole hours is read from `agent_load_hours`, and
 * what changed after the last run (a hot cycle, a presence change arriving late) is swept from there on, until the next
 * run writes those hours again. Numbers by hand at each step.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, beto] = [randomUUID(), randomUUID()];
const h = new History();
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);
const [MIN, HOUR] = [60_000, 3_600_000];

// Ana: online 10:00, offline 12:30. Her chats: A 10:15–11:15; C1 and C2 10:30–11:00, both ended exactly at 11:00's
// start; B from 11:30, open.
h.presence(ana, "offline", "online", d("10:00"));
h.presence(ana, "online", "offline", d("12:30"));
// Beto: online from 10:00 on, never a chat.
h.presence(beto, "offline", "online", d("10:00"));
h.conversation().open(d("10:15")).assign(d("10:15"), ana).agent(d("10:16")).resolve(d("11:15"));
h.conversation().open(d("10:30")).assign(d("10:30"), ana).agent(d("10:31")).resolve(d("11:00"));
h.conversation().open(d("10:30")).assign(d("10:30"), ana).agent(d("10:31")).resolve(d("11:00"));
const b = h.conversation().open(d("11:30")).assign(d("11:30"), ana).agent(d("11:31"));

const base = { tenantId: h.tenantId, timeZone: "UTC", to: d("13:00") };
const whole: MetricQuery = { ...base, from: d("10:00") };
const fromEleven: MetricQuery = { ...base, from: d("11:00") };

/** An agent's load on the board, in ms (online, chat-time integral, occupied) and his most chats at once: Ana's by default. */
async function anaLoad(query: MetricQuery, agent = ana) {
  const board = await runDashboard(client, "workload", query);
  const value = (id: string) => board.find((p) => p.metricId === id)?.result?.rows.find((r) => r.key === agent)?.value ?? null;
  const online = Number(value("online_time_by_agent")) * 1000;
  return { online, chat: Number(value("concurrent_chats_avg")) * online, occupied: Number(value("occupancy")) * online, most: value("concurrent_chats_max") };
}
type Load = { online: number; chat: number; occupied: number; most: number | null };
const load = (online: number, chat: number, occupied: number, most: number): Load => ({ online, chat, occupied, most });
/** Close to the millisecond: the board's averages are ratios of these, multiplied back. */
const near = (actual: Load, expected: Load) => {
  for (const k of ["online", "chat", "occupied"] as const) expect(actual[k]).toBeCloseTo(expected[k], 0);
  expect(actual.most).toBe(expected.most);
};

/** Where the board starts sweeping for a query, as the state is now (`hotRows`: with the hot cycles' rows computed). */
async function sweptFrom(query: MetricQuery, hotRows = false) {
  const rollup = await readRollupState(client, h.tenantId, { agentLoad: true, hotRowsAtOnce: hotRows });
  if (hotRows) expect(rollup.hotRows).toBeDefined();
  return new Date(loadWindow({ ...query, rollup }).load_from_ms);
}

async function storedHours(agent = ana) {
  const result = await client.query({
    query: `SELECT toString(hour) AS at, online_ms, chat_ms, occupied_ms, max_active FROM agent_load_hours FINAL
      WHERE tenant_id = {t:UUID} AND agent_id = {a:UUID} AND hour < {to:DateTime('UTC')} ORDER BY hour`,
    query_params: { t: h.tenantId, a: agent, to: "2026-03-02 13:00:00" },
    format: "JSONEachRow",
  });
  return (await result.json<Record<string, string | number>>()).map((r) => [r.at, ...[r.online_ms, r.chat_ms, r.occupied_ms, r.max_active].map(Number)]);
}

describe("the workload board's hours", () => {
  it("reads compacted whole hours summed, and sweeps what changed after the run until the next one", async () => {
    await loadEvents(client, h.events);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));

    // By hand, hour by hour: (online, chat time, occupied, most at once). 10:00: online all of it; A 45 min, C1 and C2
    // 30 each; occupied from 10:15; three at once from 10:30. 11:00: A 15 min, B 30; C1 and C2 ended at its start.
    // 12:00: online until 12:30, B throughout (open).
    expect(await storedHours()).toEqual([
      ["2026-03-02 10:00:00", HOUR, 105 * MIN, 45 * MIN, 3],
      ["2026-03-02 11:00:00", HOUR, 45 * MIN, 45 * MIN, 1],
      ["2026-03-02 12:00:00", 30 * MIN, 30 * MIN, 30 * MIN, 1],
    ]);
    // Both ranges are read summed whole, and give what the sweep over them gives: 2.5 h online, 3 h of chats, 2 h with
    // one at least, three at once. From 11:00, C1 and C2 ended as it opens: one at once at most.
    expect(await sweptFrom(whole)).toEqual(whole.to);
    near(await anaLoad(whole), load(150 * MIN, 3 * HOUR, 2 * HOUR, 3));
    near(await anaLoad(fromEleven), load(90 * MIN, 75 * MIN, 75 * MIN, 1));
    near(await anaLoad(whole, beto), load(3 * HOUR, 0, 0, 0));
  });

  it("sweeps from where a hot cycle's stints change, then reads the hours the next run wrote again", async () => {
    // A customer writes on B after the run: B is hot, its stints the same.
    let before = h.events.length;
    b.customer(d("11:50"));
    await loadEvents(client, h.events.slice(before));
    // Without B's hot row, from its first instant (11:30: swept from 11:00); with it, nothing changed: all summed.
    expect(await sweptFrom(whole)).toEqual(d("11:00"));
    expect(await sweptFrom(whole, true)).toEqual(whole.to);
    near(await anaLoad(whole), load(150 * MIN, 3 * HOUR, 2 * HOUR, 3));

    // B resolved at 12:15, after the run: its hours still hold it open. With its hot row, swept from the hour of 12:15.
    before = h.events.length;
    b.resolve(d("12:15"));
    await loadEvents(client, h.events.slice(before));
    expect(await sweptFrom(whole)).toEqual(d("11:00"));
    expect(await sweptFrom(whole, true)).toEqual(d("12:00"));
    // B 11:30–12:15: 45 min of chat and occupied time, not an hour.
    const resolved = load(150 * MIN, 165 * MIN, 105 * MIN, 3);
    near(await anaLoad(whole), resolved);

    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect((await storedHours())[2]).toEqual(["2026-03-02 12:00:00", 30 * MIN, 15 * MIN, 15 * MIN, 1]);
    expect(await sweptFrom(whole)).toEqual(whole.to);
    near(await anaLoad(whole), resolved);
  });

  it("sweeps from a presence change that arrived late, then reads the hours the next run wrote again", async () => {
    const before = h.events.length;
    h.presence(ana, "online", "away", d("11:45"));
    h.presence(beto, "online", "offline", d("11:00"));
    await loadEvents(client, h.events.slice(before));
    expect(await sweptFrom(whole)).toEqual(d("11:00"));
    // Online 10:00–11:45; B counts 11:30–11:45 only.
    const away = load(105 * MIN, 135 * MIN, 75 * MIN, 3);
    near(await anaLoad(whole), away);

    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    // 12:00 away: no online time, B still counts among the chats held (until 12:15).
    expect((await storedHours()).slice(1)).toEqual([["2026-03-02 11:00:00", 45 * MIN, 30 * MIN, 30 * MIN, 1], ["2026-03-02 12:00:00", 0, 0, 0, 1]]);
    // Beto's hours from 11:00 hold nothing now: written again as zeros, not left as they were.
    expect(await storedHours(beto)).toEqual([["2026-03-02 10:00:00", HOUR, 0, 0, 0], ["2026-03-02 11:00:00", 0, 0, 0, 0], ["2026-03-02 12:00:00", 0, 0, 0, 0]]);
    expect(await sweptFrom(whole)).toEqual(whole.to);
    near(await anaLoad(whole), away);
    near(await anaLoad(whole, beto), load(HOUR, 0, 0, 0));
  });

  it("sweeps the whole range where the hours cannot answer: a team or tag filter, a start within an hour", async () => {
    expect(await sweptFrom({ ...whole, filters: { teamIds: [randomUUID()] } })).toEqual(whole.from);
    expect(await sweptFrom({ ...whole, filters: { tag: "x" } })).toEqual(whole.from);
    const ragged = { ...whole, from: d("10:20") };
    expect(await sweptFrom(ragged)).toEqual(ragged.from);
    // 10:20–13:00 by hand: online until 11:45, 85 min; chats while online: A 55 min, C1 and C2 30 each, B 15; occupied
    // 10:20–11:15 and 11:30–11:45.
    near(await anaLoad(ragged), load(85 * MIN, 130 * MIN, 70 * MIN, 3));
  });
});
