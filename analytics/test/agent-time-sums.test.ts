import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, getMetric, metricStatement, metricValue, readRollupState, runDashboard, runMetricsFor, type MetricQuery, type MetricResult } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean, percentileInc } from "./support/stats.js";

/**
 * The agent board reads the range's whole UTC days summed by day (`agent_time_sums`, migration 0018), its other whole
 * UTC hours by hour, and the rest from the cycles. A range in Mexico City (UTC-6) has days and hours: 03-02 06:00Z →
 * 03-05 06:00Z is 18 hours of 03-02, the whole of 03-03 and 03-04, and 6 hours of 03-05. The numbers must not depend
 * on where a cycle was read.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const team = randomUUID();
const h = new History();
const chat = () => h.conversation({ teamId: team });
// C0 on 03-02 before the range opens (00:00 in Mexico City): its day's rows hold it, the range does not.
chat().open(at("2026-03-02T03:00")).assign(at("2026-03-02T03:01"), ana).agent(at("2026-03-02T03:02")).resolve(at("2026-03-02T04:00"));
// C1, on the first partial day: Ana answers in 4 min, wins 1,000 MXN in an hour, CSAT 5.
chat().open(at("2026-03-02T10:00")).assign(at("2026-03-02T10:01"), ana).agent(at("2026-03-02T10:04"))
  .resolve(at("2026-03-02T11:00"), { outcome: "won", value: 1000, currency: "MXN" }).csat(at("2026-03-02T11:00"), 5);
// C2, on the whole days: Carlos answers in 3 min, resolves in 30 (CSAT 4); the customer reopens at 15:00, Carlos answers
// in 11 min and wins 500 USD the next day.
const c2 = chat();
c2.open(at("2026-03-03T09:00")).assign(at("2026-03-03T09:01"), carlos).agent(at("2026-03-03T09:03"))
  .resolve(at("2026-03-03T09:30")).csat(at("2026-03-03T09:30"), 4)
  .reopen(at("2026-03-03T15:00")).assign(at("2026-03-03T15:01"), carlos).agent(at("2026-03-03T15:11"))
  .resolve(at("2026-03-04T10:00"), { outcome: "won", value: 500, currency: "USD" });
// C3, started on a whole day, resolved (lost) on the last partial one: Ana answers in 7 min.
chat().open(at("2026-03-04T20:00")).assign(at("2026-03-04T20:02"), ana).agent(at("2026-03-04T20:07"))
  .resolve(at("2026-03-05T02:00"), { outcome: "lost", lossReason: "precio" });
// C4, started before the range (its first response does not count), resolved on a whole day by Ana, CSAT 3.
chat().open(at("2026-03-01T23:00")).assign(at("2026-03-01T23:01"), ana).agent(at("2026-03-01T23:05"))
  .resolve(at("2026-03-03T01:00")).csat(at("2026-03-03T01:00"), 3);
// C5: Carlos answers in 2 min and resolves in 30 on a whole day; the customer reopens on the last partial day and Ana
// answers in 2 min. Its survey (CSAT 2) arrives late, after a compaction.
const c5 = chat();
c5.open(at("2026-03-04T12:00")).assign(at("2026-03-04T12:01"), carlos).agent(at("2026-03-04T12:02")).resolve(at("2026-03-04T12:30"));
c5.csat(at("2026-03-04T12:30"), 2);
const lateSurvey = h.events.splice(-2);
c5.reopen(at("2026-03-05T03:00")).assign(at("2026-03-05T03:01"), ana).agent(at("2026-03-05T03:02"));
// C6, on the last partial day: Ana answers in 9 min. C7 starts after the range, on the same UTC day.
const c6 = chat().open(at("2026-03-05T05:00")).assign(at("2026-03-05T05:01"), ana).agent(at("2026-03-05T05:09"));
chat().open(at("2026-03-05T07:00")).assign(at("2026-03-05T07:01"), carlos).agent(at("2026-03-05T07:02")).resolve(at("2026-03-05T07:30"));
await loadEvents(client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T06:00"), to: at("2026-03-05T06:00"), timeZone: "America/Mexico_City" };
const PANELS = ["agent_conversations_resolved", "agent_resolution_time_avg", "agent_csat_avg", "agent_conversions", "agent_revenue",
  "agent_first_response_time_avg", "agent_first_response_time_p90", "agent_reopen_rate"];

/** Values to 9 places, expected and read: ClickHouse interpolates the p90 in another order (564 vs 563.9999999999999). */
const rounded = (v: number | null) => (v === null ? null : Math.round(v * 1e9) / 1e9);

async function board(q = range): Promise<Record<string, Record<string, number | null>>> {
  const panels = await runDashboard(client, "agent_performance", q);
  return Object.fromEntries(PANELS.map((id) => [id, Object.fromEntries((panels.find((p) => p.metricId === id)?.result?.rows ?? [])
    .map((r) => [r.series ? `${r.key}/${r.series}` : r.key, rounded(r.value)]))]));
}

// By hand. Resolves in the range: Ana C1 (1 h), C3 (6 h), C4 (26 h); Carlos C2 twice (30 min; 15:00 → 10:00 next day,
// 19 h) and C5 (30 min). First responses of cycles started in it: Ana 4, 7, 2 and 9 min; Carlos 3, 11 and 2 min.
// Reopens of those resolves: C2's and C5's, both resolved by Carlos.
const anaFrt = [240, 420, 120, 540];
const carlosFrt = [180, 660, 120];
const expected = (carlosCsat: number[], anaFrts = anaFrt) => Object.fromEntries(Object.entries({
  agent_conversations_resolved: { [ana]: 3, [carlos]: 3 },
  agent_resolution_time_avg: { [ana]: mean([3600, 21600, 93600]), [carlos]: mean([1800, 68400, 1800]) },
  agent_csat_avg: { [ana]: mean([5, 3]), [carlos]: mean(carlosCsat) },
  agent_conversions: { [ana]: 1, [carlos]: 1 },
  agent_revenue: { [`${ana}/MXN`]: 1000, [`${carlos}/USD`]: 500 },
  agent_first_response_time_avg: { [ana]: mean(anaFrts), [carlos]: mean(carlosFrt) },
  agent_first_response_time_p90: { [ana]: percentileInc(anaFrts, 0.9), [carlos]: percentileInc(carlosFrt, 0.9) },
  agent_reopen_rate: { [ana]: 0, [carlos]: 2 / 3 },
}).map(([id, values]) => [id, Object.fromEntries(Object.entries(values).map(([key, v]) => [key, rounded(v)]))]));

/** Whether the board's statement reads resolves from the cycles (`resolves`), as it must outside the summed hours. */
const readsResolvesFromCycles = async (q: MetricQuery) => /\bresolves AS\b/.test(metricStatement(getMetric("agent_conversations_resolved"),
  { ...q, rollup: await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true }) }).sql);

const daysRows = async (day: string) => (await (await client.query({
  query: `SELECT toString(agent) AS agent, resolved, csat_n, frt_n, arraySort(frt_values) AS frt, reopened FROM agent_time_sums FINAL
    WHERE tenant_id = {tenant:UUID} AND grain = 'day' AND at = toDateTime({day:Date}, 'UTC') AND (resolved + csat_n + frt_n + reopened) > 0
    ORDER BY agent`,
  query_params: { tenant: h.tenantId, day }, format: "JSONEachRow",
})).json<Record<string, unknown>>());

describe("the agent board over whole days and partial ones", () => {
  it("gives the same numbers from the cycles alone and from the days plus the cycles", async () => {
    // Two whole UTC days (03-03 and 03-04), which the days alone answer for once compacted.
    const utcDays: MetricQuery = { ...range, from: at("2026-03-03T00:00"), to: at("2026-03-05T00:00"), timeZone: "UTC" };
    const fromCycles = await board(utcDays);
    expect(fromCycles.agent_conversations_resolved).toEqual({ [ana]: 1, [carlos]: 3 });
    expect(await board()).toEqual(expected([4]));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readRollupState(client, h.tenantId, { agentSums: true })).toMatchObject({ daysReady: true, hotFloorMs: null });
    expect(await board()).toEqual(expected([4]));
    expect(await board(utcDays)).toEqual(fromCycles);
    // Ends within an hour (06:30 and 05:45 UTC): those minutes come from the cycles, and nothing happened in them.
    const partial = { ...range, from: at("2026-03-02T06:30"), to: at("2026-03-05T05:45") };
    expect(await board(partial)).toEqual(expected([4]));
    expect(await readsResolvesFromCycles(partial)).toBe(true);
    // The same range up to the present (a "today" view at 05:45, `toIsNow`): its last hour holds nothing later, and is
    // read summed whole (C6's start and response, 05:00 and 05:09), with no read of the cycles.
    const present = { ...range, to: at("2026-03-05T05:45"), toIsNow: true };
    expect(await board(present)).toEqual(expected([4]));
    expect(await readsResolvesFromCycles(present)).toBe(false);
  });

  it("computes some panels only, as a view's previous period asks for one agent's rows", async () => {
    const asked = ["agent_csat_avg", "agent_first_response_time_p90"];
    const forAna: MetricQuery = { ...range, filters: { agentId: ana } };
    const panels = await runDashboard(client, "agent_performance", forAna, { panels: asked });
    const values = (id: string) => panels.find((p) => p.metricId === id)?.result?.rows.map((r) => [r.key, rounded(r.value)]);
    expect(values("agent_csat_avg")).toEqual([[ana, rounded(mean([5, 3]))]]);
    expect(values("agent_first_response_time_p90")).toEqual([[ana, rounded(percentileInc(anaFrt, 0.9))]]);
    expect(panels.filter((p) => p.result !== null).map((p) => p.metricId).sort()).toEqual(asked);
    expect((await runDashboard(client, "agent_performance", forAna, { panels: [] })).every((p) => p.result === null)).toBe(true);
  });

  it("computes a report's rows, one statement each, as a statement per metric would", async () => {
    const ids = ["conversations_resolved", "csat_avg", "conversions"];
    const forAna: MetricQuery = { ...range, filters: { agentId: ana } };
    const [anaRow, total] = await runMetricsFor(client, ids, [forAna, range]);
    const values = (results: MetricResult[] | undefined) => results?.map((r) => rounded(r.rows[0]?.value ?? null));
    // By hand, the range: six resolves (C1, C2 twice, C3, C4, C5), CSAT 5, 4 and 3, C1's and C2's deals won.
    expect(values(total)).toEqual([6, 4, 2]);
    expect(values(anaRow)).toEqual(await Promise.all(ids.map(async (id) => rounded(await metricValue(client, id, forAna)))));
  });

  it("keeps each measure on the UTC day of its own instant", async () => {
    // 03-03: C2's first resolve, CSAT and response (Carlos), its reopen's response (Carlos), C4's resolve and CSAT (Ana);
    // the reopen counts on the day of the resolve it reopens, to who resolved it.
    expect(await daysRows("2026-03-03")).toEqual([
      { agent: ana, resolved: 1, csat_n: 1, frt_n: 0, frt: [], reopened: 0 },
      { agent: carlos, resolved: 1, csat_n: 1, frt_n: 2, frt: [180, 660], reopened: 1 },
    ].sort((a, b) => a.agent.localeCompare(b.agent)));
    // 03-04: C2's second resolve and C5's (Carlos), C3's and C5's responses, C5's resolve reopened on 03-05.
    expect(await daysRows("2026-03-04")).toEqual([
      { agent: ana, resolved: 0, csat_n: 0, frt_n: 1, frt: [420], reopened: 0 },
      { agent: carlos, resolved: 2, csat_n: 0, frt_n: 1, frt: [120], reopened: 1 },
    ].sort((a, b) => a.agent.localeCompare(b.agent)));
  });

  it("reads a hot cycle's days from its facts until the next run writes them again", async () => {
    await loadEvents(client, lateSurvey);
    // C5's first cycle is hot from its start (03-04 12:00): 03-04 is read from the cycles, 03-03 still from the days.
    expect(await readRollupState(client, h.tenantId, { agentSums: true })).toMatchObject({ hotFloorMs: at("2026-03-04T12:00").getTime() });
    // Once its hot row is at hand, from where it changes (the survey is on its resolve, 12:30; its start and response,
    // 12:00, are as summed) and what it changes: its resolve by Carlos without a survey, taken off, and with one, added.
    // Every hour is read summed, with that change.
    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    expect(state.hotFloorMs).toBe(at("2026-03-04T12:30").getTime());
    const resolve = { instant: String(at("2026-03-04T12:30").getTime()), agent: carlos, resolved: 1, resolution_s: 1800, won: 0 };
    // A measure the change leaves out is zero.
    expect(state.agentDelta?.split("\n").map((line) => ({ csat_n: 0, csat_sum: 0, won: 0, ...JSON.parse(line) })).map((c) => ({ ...c, instant: String(c.instant), csat_sum: Number(c.csat_sum) }))
      .sort((a, b) => a.sign - b.sign)).toEqual([
      expect.objectContaining({ sign: -1, ...resolve, csat_n: 0, csat_sum: 0 }),
      expect.objectContaining({ sign: 1, ...resolve, csat_n: 1, csat_sum: 2 }),
    ]);
    expect(await board()).toEqual(expected([4, 2]));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readRollupState(client, h.tenantId, { agentSums: true })).toMatchObject({ hotFloorMs: null });
    expect(await board()).toEqual(expected([4, 2]));
  });

  it("reads a cycle from its facts while a run has written its rollup row but not its sums", async () => {
    // C2's second cycle gets a survey (3) on its resolve, 03-04 10:00; a run writes its rollup row and dies before
    // its sums (their table away), so the rollup shows the survey and the sums do not.
    const before = h.events.length;
    c2.csat(at("2026-03-04T10:00"), 3);
    await loadEvents(client, h.events.slice(before));
    await client.command({ query: "RENAME TABLE agent_time_sums TO agent_time_sums_away" });
    await expect(compactCycles(client, { now: later(1), safetyMs: 0 })).rejects.toThrow();
    await client.command({ query: "RENAME TABLE agent_time_sums_away TO agent_time_sums" });
    // Newer than the last recorded run: the floor stays at the cycle's earliest instant (the resolve it reopens).
    expect(await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true })).toMatchObject({ hotFloorMs: at("2026-03-03T09:30").getTime() });
    expect(await board()).toEqual(expected([4, 2, 3]));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true })).toMatchObject({ hotFloorMs: null });
    expect(await board()).toEqual(expected([4, 2, 3]));
  });

  it("writes a touched day whole: a key it no longer has reads zero", async () => {
    // A key 03-03 held once (another team's resolves for Ana), older than the next run: the board adds it until then.
    await client.insert({ table: "agent_time_sums", format: "JSONEachRow", values: [{
      tenant_id: h.tenantId, grain: "day", at: "2026-03-03 00:00:00", agent: ana, channel: h.channelId, team: randomUUID(), resolved: 100, resolution_s: 0,
      csat_n: 0, csat_sum: 0, won: 0, revenue: {}, frt_n: 0, frt_sum: 0, frt_values: [], reopened: 0, version: Date.now(),
    }] });
    expect((await board()).agent_conversations_resolved).toEqual({ [ana]: 103, [carlos]: 3 });
    // A note in C2's second cycle (started on 03-03) touches the day; the run writes it whole again.
    const before = h.events.length;
    c2.note(at("2026-03-03T16:00"), carlos);
    await loadEvents(client, h.events.slice(before));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect((await board()).agent_conversations_resolved).toEqual({ [ana]: 3, [carlos]: 3 });
  });

  it("reads from the floor on when a hot cycle's first response changes, which the p90's values cannot take back", async () => {
    // A message of Ana's in C6 at 05:03 arrives late: its first response is 3 min, not the 9 the sums hold (at its start,
    // 05:00). The sums are read up to 05:00 and the last hour from the cycles.
    const before = h.events.length;
    c6.agent(at("2026-03-05T05:03"));
    await loadEvents(client, h.events.slice(before));
    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    expect(state.hotFloorMs).toBe(at("2026-03-05T05:00").getTime());
    expect(state.agentDelta).toContain('"frt_n":1');
    expect(await board()).toEqual(expected([4, 2, 3], [240, 420, 120, 180]));
    // Up to the present, the same: the hour from the floor on is read from the cycles.
    const present = { ...range, to: at("2026-03-05T05:45"), toIsNow: true };
    expect(await board(present)).toEqual(expected([4, 2, 3], [240, 420, 120, 180]));
    expect(await readsResolvesFromCycles(present)).toBe(true);
  });

  it("adds no hot change to sums a run wrote before recording itself", async () => {
    // C6's change (its first response 3 min, not 9) read with the sums as they were: taken off and added.
    expect((await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true })).agentDelta).toContain('"frt_n":1');
    // A run writes C6's rollup row and sums, then fails to record itself: C6 stays hot, and the sums already hold its
    // change. Nothing the state read from changed but the rollup, which is newer than the last recorded run: the floor
    // is C6's earliest instant (its start), no change is added.
    await client.command({ query: "ALTER TABLE cycle_rollup_runs ADD CONSTRAINT refuse_runs CHECK cycles > 1000000" });
    await expect(compactCycles(client, { now: later(1), safetyMs: 0 })).rejects.toThrow();
    await client.command({ query: "ALTER TABLE cycle_rollup_runs DROP CONSTRAINT refuse_runs" });
    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    expect(state).toMatchObject({ hot: [[c6.id, 1]], hotFloorMs: at("2026-03-05T05:00").getTime() });
    expect(state.agentDelta).toBeUndefined();
    expect(await board()).toEqual(expected([4, 2, 3], [240, 420, 120, 180]));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true })).toMatchObject({ hot: [], hotFloorMs: null });
    expect(await board()).toEqual(expected([4, 2, 3], [240, 420, 120, 180]));
  });
});
