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
const NIL_TEAM = "00000000-0000-0000-0000-000000000000";

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
  const rollup = await readRollupState(client, query.tenantId, { agentLoad: true, hotRowsAtOnce: hotRows });
  if (hotRows) expect(rollup.hotRows).toBeDefined();
  return new Date(loadWindow({ ...query, rollup }).load_from_ms);
}

/** An agent's stored hours, (hour, online, chat time, occupied, most at once): every team's, or one team's. */
async function storedHours(agent = ana, { tenantId = h.tenantId, team = NIL_TEAM } = {}) {
  const result = await client.query({
    query: `SELECT toString(hour) AS at, online_ms, chat_ms, occupied_ms, max_active FROM agent_load_hours FINAL
      WHERE tenant_id = {t:UUID} AND agent_id = {a:UUID} AND team = {team:UUID} AND hour < {to:DateTime('UTC')} ORDER BY hour`,
    query_params: { t: tenantId, a: agent, team, to: "2026-03-02 13:00:00" },
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

  it("sweeps the whole range where the hours cannot answer: several teams, a tag filter, a start within an hour", async () => {
    expect(await sweptFrom({ ...whole, filters: { teamIds: [randomUUID(), randomUUID()] } })).toEqual(whole.from);
    expect(await sweptFrom({ ...whole, filters: { tag: "x" } })).toEqual(whole.from);
    const ragged = { ...whole, from: d("10:20") };
    expect(await sweptFrom(ragged)).toEqual(ragged.from);
    // 10:20–13:00 by hand: online until 11:45, 85 min; chats while online: A 55 min, C1 and C2 30 each, B 15; occupied
    // 10:20–11:15 and 11:30–11:45.
    near(await anaLoad(ragged), load(85 * MIN, 130 * MIN, 70 * MIN, 3));
  });
});

describe("the workload board's hours of one team", () => {
  // Carla, online 09:00–12:00: Ventas V1 09:00–10:30 and V2 from 11:30 (open); Soporte S1 09:30–11:00 and S2
  // 10:00–10:15. Diego, online 10:00–12:00: Ventas V3 10:00–10:30.
  const g = new History();
  const [carla, diego, ventas, soporte] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  g.presence(carla, "offline", "online", d("09:00"));
  g.presence(carla, "online", "offline", d("12:00"));
  g.presence(diego, "offline", "online", d("10:00"));
  const chat = (teamId: string, agent: string, from: string, to: string | null) => {
    const c = g.conversation({ teamId }).open(d(from)).assign(d(from), agent).agent(d(from));
    if (to) c.resolve(d(to));
  };
  chat(ventas, carla, "09:00", "10:30");
  chat(ventas, carla, "11:30", null);
  chat(soporte, carla, "09:30", "11:00");
  chat(soporte, carla, "10:00", "10:15");
  chat(ventas, diego, "10:00", "10:30");
  const range: MetricQuery = { tenantId: g.tenantId, timeZone: "UTC", from: d("09:00"), to: d("12:00") };
  const ofTeams = (...teamIds: string[]): MetricQuery => ({ ...range, filters: { teamIds } });

  it("stores each team's chats beside every team's, and a view of one team reads them as the sweep of its chats gives", async () => {
    await loadEvents(client, g.events);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    // By hand, Soporte's hours of Carla: 09:00 S1 30 min; 10:00 S1 60 and S2 15 min, occupied 60, both at once
    // 10:00–10:15. 11:00 none (S1 ended as it opened). Online time is on every team's rows only.
    const tenant = { tenantId: g.tenantId };
    expect(await storedHours(carla, { ...tenant, team: soporte })).toEqual([
      ["2026-03-02 09:00:00", 0, 30 * MIN, 30 * MIN, 1],
      ["2026-03-02 10:00:00", 0, 75 * MIN, 60 * MIN, 2],
    ]);
    // Every team's: online 09:00–12:00; at 12:00 offline, V2 still held.
    expect((await storedHours(carla, tenant)).map((r) => r[1])).toEqual([HOUR, HOUR, HOUR, 0]);

    // Every team: 3 h online; chats V1 90 + S1 90 + S2 15 + V2 30 = 225 min; occupied 09:00–11:00 and 11:30–12:00;
    // three at once 10:00–10:15. Soporte: S1 and S2, 105 min, occupied 09:30–11:00, two at once. Ventas: V1 and V2,
    // 120 min, occupied as long, one at once. Diego under Ventas: V3, 30 min; under Soporte online, no chat.
    const expected = [
      [range, carla, load(3 * HOUR, 225 * MIN, 150 * MIN, 3)],
      [ofTeams(soporte), carla, load(3 * HOUR, 105 * MIN, 90 * MIN, 2)],
      [ofTeams(ventas), carla, load(3 * HOUR, 120 * MIN, 120 * MIN, 1)],
      [ofTeams(ventas), diego, load(2 * HOUR, 30 * MIN, 30 * MIN, 1)],
      [ofTeams(soporte), diego, load(2 * HOUR, 0, 0, 0)],
    ] as const;
    for (const [query, agent, numbers] of expected) {
      expect(await sweptFrom(query)).toEqual(range.to);
      near(await anaLoad(query, agent), numbers);
      // The same view swept whole (a second team, with no chats, takes it off the hours) gives the same.
      const swept = { ...query, filters: { teamIds: [...(query.filters?.teamIds ?? []), randomUUID()] } };
      if (query.filters) expect(await sweptFrom(swept)).toEqual(range.from);
      if (query.filters) near(await anaLoad(swept, agent), numbers);
    }
  });
});
