import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, dashboards, metricValue, readRollupState, runDashboard, runMetric, type MetricQuery, type RollupState } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const ventas = randomUUID();
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-${String(day).padStart(2, "0")}T${hhmm}:00`);

// Week one: a won sale with a transfer, a lost one, a support chat with CSAT, one still open, presence.
const won = h.conversation({ teamId: ventas, isLead: true, territory: "Norte" });
won.open(d(2, "09:00")).assign(d(2, "09:01"), ana).agent(d(2, "09:03")).customer(d(2, "09:10")).transfer(d(2, "09:12"), carlos)
  .agent(d(2, "09:20")).resolve(d(2, "09:40"), { outcome: "won", value: 1500, currency: "MXN" });
const lost = h.conversation({ teamId: ventas, isLead: true, territory: "Sur" });
lost.open(d(3, "10:00")).assign(d(3, "10:02"), carlos, "round_robin").agent(d(3, "10:09")).resolve(d(3, "10:30"), { outcome: "lost", lossReason: "precio" });
const support = h.conversation({ teamId: ventas });
support.open(d(4, "11:00")).assign(d(4, "11:05"), ana).agent(d(4, "11:06")).resolve(d(4, "11:20")).csat(d(4, "11:20"), 4, d(4, "11:25"));
const waiting = h.conversation({ teamId: ventas });
waiting.open(d(5, "12:00")).assign(d(5, "12:30"), ana);
h.presence(ana, "offline", "online", d(2, "08:00"));
h.presence(carlos, "offline", "online", d(2, "08:30"));
let loaded = 0;
async function loadNew(): Promise<void> {
  await loadEvents(client, h.events.slice(loaded));
  loaded = h.events.length;
}

const range: MetricQuery = { tenantId: h.tenantId, from: d(1, "00:00"), to: d(15, "00:00"), timeZone: "America/Mexico_City", bucket: "day" };
/** Every dashboard's numbers, rounded so float sums taken in another order compare equal. */
async function everyDashboard(mode: "one_statement" | "per_metric" = "one_statement", rollup?: RollupState): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const board of dashboards) {
    const panels = await runDashboard(client, board.id, { ...range, rollup }, { mode });
    for (const p of panels) out[`${board.id}/${p.metricId}`] = p.result?.rows.map((r) => ({ ...r, value: r.value === null ? null : Number(r.value.toPrecision(10)) }));
  }
  return out;
}
/** The truth: no compaction has happened, so every cycle is re-aggregated from its facts. */
async function withoutRollup(): Promise<Record<string, unknown>> {
  await client.command({ query: "TRUNCATE TABLE cycle_rollup_runs" });
  return everyDashboard();
}

describe("the compacted cycle rollup", () => {
  it("gives every dashboard exactly the numbers of the facts, before and after new events arrive", async () => {
    await loadNew();
    const truth = await everyDashboard();
    expect(await metricValue(client, "conversions", range)).toBe(1);

    expect(await everyDashboard("per_metric")).toEqual(truth);

    // Two cycles per chunk: the first run goes in chunks, as it does over a large history.
    const first = await compactCycles(client, { now: later(1), safetyMs: 0, cyclesPerChunk: 2 });
    expect(first).toMatchObject({ cycles: 4, chunks: 2 });
    expect(await everyDashboard()).toEqual(truth);

    // Week two, after the compaction: the lost sale reopens and is won, the waiting chat is answered and
    // resolved, a new conversation arrives, and a CSAT answer lands on a cycle whose start never arrived.
    await pastWatermark(first);
    lost.reopen(d(9, "09:00")).assign(d(9, "09:01"), ana).agent(d(9, "09:04")).resolve(d(9, "09:30"), { outcome: "won", value: 90, currency: "USD" });
    waiting.agent(d(5, "12:40")).resolve(d(5, "13:00"));
    h.conversation({ teamId: ventas, isLead: true }).open(d(10, "15:00")).assign(d(10, "15:01"), carlos).agent(d(10, "15:02"));
    h.add("csat.submitted", { conversationId: support.id, contactId: support.contactId, teamId: ventas, agentId: ana }, { cycle: 7, score: 1, comment_length: 0 }, d(11, "10:00"));
    await loadNew();

    const hotAndCold = await everyDashboard();
    expect(hotAndCold).not.toEqual(truth);
    // Past the size the state carries them (a burst), statements re-aggregate the hot cycles' facts themselves.
    const state = await readRollupState(client, h.tenantId);
    expect(state.hot.length).toBeGreaterThan(0);
    expect(state.hotRows).toBeDefined();
    expect(await everyDashboard("one_statement", { ...state, hotRows: undefined })).toEqual(hotAndCold);
    expect(await metricValue(client, "conversions", range)).toBe(2);

    const second = await compactCycles(client, { now: later(2), safetyMs: 0 });
    // The reopened cycle, the answered one, the new one and the orphan CSAT's (kept pending); never `won`'s.
    expect(second.cycles).toBe(4);
    const compacted = await everyDashboard();
    expect(compacted).toEqual(hotAndCold);
    expect(await everyDashboard("per_metric")).toEqual(compacted);
    expect(await withoutRollup()).toEqual(hotAndCold);
  });

  it("stores each cycle's stints as the spans between ownership changes (migration 0007)", async () => {
    // The definition written the long way (each change lasts until the next one's instant, -1 after the last),
    // against the stored column; the Ana → Carlos transfer gives a cycle two stints.
    const byHand = `arrayFilter(s -> s.1 != toUUIDOrZero(''), arrayMap((c, i) -> (c.3, c.1, if(i < length(ch), ch[i + 1].1, -1)), ch, arrayEnumerate(ch)))`;
    const result = await client.query({
      query: `SELECT count() AS n, countIf(stints != ${byHand}) AS differ, max(length(stints)) AS most FROM (
        SELECT stints, arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners)) AS ch FROM cycle_rollup FINAL WHERE tenant_id = {t:UUID})`,
      query_params: { t: h.tenantId }, format: "JSONEachRow",
    });
    const [row] = await result.json<{ n: string; differ: string; most: number }>();
    expect(Number(row!.n)).toBeGreaterThan(0);
    expect(Number(row!.differ)).toBe(0);
    expect(Number(row!.most)).toBe(2);
  });

  it("stores each cycle's answered runs and exact first response, an agent's reopen included (migration 0008)", async () => {
    // Cycle 1: FRT 10:00 → 10:03 (180 s); a second run 10:05, 10:06 → 10:10 (300 s). Cycle 2, reopened by Ana, who
    // writes first: its first response is its first answered run, 11:05 → 11:07 (120 s), not 11:01 - 11:05.
    const [last] = await (await client.query({ query: "SELECT max(watermark) AS w FROM cycle_rollup_runs", format: "JSONEachRow" })).json<{ w: string }>();
    await pastWatermark({ watermark: new Date(`${last!.w.replace(" ", "T")}Z`) });
    const h2 = new History();
    const c = h2.conversation({ teamId: ventas });
    c.open(d(20, "10:00")).assign(d(20, "10:01"), ana).agent(d(20, "10:03")).customer(d(20, "10:05")).customer(d(20, "10:06")).agent(d(20, "10:10"))
      .resolve(d(20, "10:20")).reopenByAgent(d(20, "11:00"), ana).agent(d(20, "11:01")).customer(d(20, "11:05")).agent(d(20, "11:07"));
    await loadEvents(client, h2.events);
    const q: MetricQuery = { tenantId: h2.tenantId, from: d(20, "00:00"), to: d(21, "00:00"), timeZone: "UTC" };
    const ids = ["first_response_time_avg", "first_response_time_p90", "response_time_avg", "agent_first_response_time_avg"];
    const hot = await Promise.all(ids.map((id) => runMetric(client, id, q)));
    expect(hot.map((r) => r.rows[0]?.value)).toEqual([150, 174, 200, 150]);

    await compactCycles(client, { now: later(3), safetyMs: 0 });
    expect(await Promise.all(ids.map((id) => runMetric(client, id, q)))).toEqual(hot);
    const result = await client.query({
      query: `SELECT cycle, responses, exact_frt, exact_frt_agent, exact_frt_from_ms, exact_frt_to_ms FROM cycle_rollup FINAL WHERE tenant_id = {t:UUID} ORDER BY cycle`,
      query_params: { t: h2.tenantId }, format: "JSONEachRow",
    });
    // 64-bit integers arrive as numbers (chdb) or text (a server): compared as numbers.
    const rows = JSON.parse(JSON.stringify(await result.json()), (_k, v: unknown) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v));
    const ms = (hhmm: string) => d(20, hhmm).getTime();
    expect(rows).toEqual([
      { cycle: 1, responses: [[180000, ana, ms("10:00"), ms("10:03")], [300000, ana, ms("10:05"), ms("10:10")]], exact_frt: 180, exact_frt_agent: ana,
        exact_frt_from_ms: ms("10:00"), exact_frt_to_ms: ms("10:03") },
      { cycle: 2, responses: [[120000, ana, ms("11:05"), ms("11:07")]], exact_frt: 120, exact_frt_agent: ana, exact_frt_from_ms: ms("11:05"), exact_frt_to_ms: ms("11:07") },
    ]);
  });

  it("shows a hot cycle's next events at once, though the cycle was already hot and its rows read before", async () => {
    // The state's hot rows are reused while the hot cycles and the facts' parts stay the same (`hot-rows.ts`);
    // a new event on a cycle already hot changes neither the hot set nor, if the rows were reused, the numbers.
    await pastWatermark(await compactCycles(client, { now: later(4), safetyMs: 0 }));
    const h3 = new History();
    const sale = h3.conversation({ teamId: ventas, isLead: true });
    // A tag with what a text parameter must escape: the rows travel back to ClickHouse as one.
    const oddTag = "cotización\t\"urgente\"\\ñ\n'x'";
    sale.open(d(22, "09:00")).assign(d(22, "09:01"), carlos).agent(d(22, "09:02")).tag(d(22, "09:03"), oddTag);
    await loadEvents(client, h3.events);
    // Computed on the second read of the same hot facts (`hot-rows.ts`).
    expect((await readRollupState(client, h3.tenantId)).hotRows).toBeUndefined();
    const state = await readRollupState(client, h3.tenantId);
    expect(state.hotRows).toBeDefined();
    const read = await client.query({ query: "SELECT tag_set FROM format(TabSeparatedWithNamesAndTypes, {rows:String})", query_params: { rows: state.hotRows }, format: "JSONEachRow" });
    expect(await read.json()).toEqual([{ tag_set: [oddTag] }]);
    const q: MetricQuery = { tenantId: h3.tenantId, from: d(22, "00:00"), to: d(23, "00:00"), timeZone: "UTC", bucket: "day" };
    const sales = async () => Object.fromEntries((await runDashboard(client, "sales", q)).map((p) => [p.metricId, p.result?.rows.map((r) => r.value)]));
    expect((await sales()).conversions).toEqual([0]);
    expect((await sales()).conversions).toEqual([0]);

    const loadedBefore = h3.events.length;
    sale.customer(d(22, "09:10")).resolve(d(22, "09:30"), { outcome: "won", value: 700, currency: "MXN" });
    await loadEvents(client, h3.events.slice(loadedBefore));
    // A board that would compute the stored columns several times over the hot facts has the rows computed on the
    // first read of new facts (`runDashboard`): the new ones, never the rows computed before them.
    const atOnce = await readRollupState(client, h3.tenantId, { hotRowsAtOnce: true });
    expect(atOnce.hotRows).toContain("\twon\t");
    const after = await sales();
    expect(after.conversions).toEqual([1]);
    expect(after.revenue).toEqual([700]);
  });
});
