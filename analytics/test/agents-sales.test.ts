import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { metricValue, runDashboard, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const ventas = randomUUID();
const h = new History();
const lead = (territory: string) => h.conversation({ teamId: ventas, isLead: true, territory });
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);

// 1. The seed's workflow: Ana → Carlos → Ana, won 15,800 MXN.
lead("Norte").open(d("09:00")).assign(d("09:01"), ana).agent(d("09:02")).note(d("09:03")).tag(d("09:04"), "quoted")
  .customer(d("09:15")).transfer(d("09:16"), carlos, "Pedido anterior").agent(d("09:18"))
  .transfer(d("09:30"), ana, "Resuelto").agent(d("09:35")).resolve(d("09:40"), { outcome: "won", value: 15800, currency: "MXN" });
// 2. Carlos alone, won 300 USD. 3. Ana alone, quoted, won 2,000 MXN.
lead("Centro").open(d("10:00")).assign(d("10:01"), carlos, "round_robin").agent(d("10:03")).resolve(d("10:20"), { outcome: "won", value: 300, currency: "USD" });
lead("Norte").open(d("11:00")).assign(d("11:02"), ana).agent(d("11:04")).tag(d("11:05"), "quoted").resolve(d("11:30"), { outcome: "won", value: 2000, currency: "MXN" });
// 4. María answers, transfers to Ana, who never writes and closes it lost: María handled it, Ana did not.
lead("Centro").open(d("12:00")).assign(d("12:01"), maria, "round_robin").agent(d("12:05")).transfer(d("12:10"), ana, "Precio especial")
  .resolve(d("12:40"), { outcome: "lost", lossReason: "precio" });
// 5. Support, not a lead: Carlos resolves.
h.conversation().open(d("13:00")).assign(d("13:01"), carlos, "round_robin").agent(d("13:02")).resolve(d("13:10"));
await loadEvents(clickhouse.client, h.events);

const day: MetricQuery = { tenantId: h.tenantId, from: d("00:00"), to: at("2026-03-03T00:00:00"), timeZone: "America/Mexico_City" };
const byKey = async (id: string, q = day) => Object.fromEntries((await runMetric(clickhouse.client, id, q)).rows.map((r) => [r.series ? `${r.key}/${r.series}` : r.key, r.value]));

describe("a supervisor's team scope", () => {
  it("counts only the teams in scope; an empty scope or a team outside it counts nothing", async () => {
    const other = randomUUID();
    const conversions = (filters: MetricQuery["filters"]) => metricValue(clickhouse.client, "conversions", { ...day, filters });
    expect(await conversions(undefined)).toBe(3);
    expect(await conversions({ teamIds: [ventas, other] })).toBe(3);
    expect(await conversions({ teamIds: [other] })).toBe(0);
    expect(await conversions({ teamIds: [] })).toBe(0);
    // Nor a conversation routed to no team (5., support): the empty scope is no team at all, not the nil one.
    const resolved = (filters: MetricQuery["filters"]) => metricValue(clickhouse.client, "conversations_resolved", { ...day, filters });
    expect(await resolved(undefined)).toBe(5);
    expect(await resolved({ teamIds: [] })).toBe(0);
    expect(await resolved({ teamId: ventas, teamIds: [other] })).toBe(0);
    expect(await conversions({ teamId: ventas, teamIds: [other] })).toBe(0);
    expect(await conversions({ teamId: ventas, teamIds: [ventas] })).toBe(3);
  });
});

describe("agent performance and its attribution", () => {
  it("handled needs assignment and a message; resolutions and conversions go to the assignee at resolve", async () => {
    expect(await byKey("agent_conversations_handled")).toEqual({ [ana]: 2, [carlos]: 3, [maria]: 1 });
    expect(await byKey("agent_conversations_resolved")).toEqual({ [ana]: 3, [carlos]: 2 });
    expect(await byKey("agent_conversions")).toEqual({ [ana]: 2, [carlos]: 1 });
    expect(await byKey("agent_conversion_rate")).toEqual({ [ana]: 2 / 2, [carlos]: 1 / 3, [maria]: 0 });
    expect(await byKey("agent_revenue")).toEqual({ [`${ana}/MXN`]: 15800 + 2000, [`${carlos}/USD`]: 300 });
  });

  it("counts messages and notes by writer, and times per agent", async () => {
    expect(await byKey("agent_messages_sent")).toEqual({ [ana]: 3, [carlos]: 3, [maria]: 1 });
    expect(await byKey("agent_notes_written")).toEqual({ [ana]: 1 });
    // Stints: Ana 09:01–09:16, 09:30–09:40, 11:02–11:30, 12:10–12:40; Carlos 09:16–09:30, 10:01–10:20, 13:01–13:10; María 12:01–12:10.
    expect(await byKey("agent_handle_time_avg")).toEqual({ [ana]: mean([900, 600, 1680, 1800]), [carlos]: mean([840, 1140, 540]), [maria]: 540 });
    // Cycle start → resolve: Ana 40, 30 and 40 min; Carlos 20 and 10 min.
    expect(await byKey("agent_resolution_time_avg")).toEqual({ [ana]: mean([2400, 1800, 2400]), [carlos]: mean([1200, 600]) });
  });

  it("transfers count out for the source and in for the target, and pair up", async () => {
    expect(await metricValue(clickhouse.client, "transfers", day)).toBe(3);
    expect(await byKey("agent_transfers_out")).toEqual({ [ana]: 1, [carlos]: 1, [maria]: 1 });
    expect(await byKey("agent_transfers_in")).toEqual({ [carlos]: 1, [ana]: 2 });
    expect(await byKey("transfers_by_pair")).toEqual({ [`${ana}/${carlos}`]: 1, [`${carlos}/${ana}`]: 1, [`${maria}/${ana}`]: 1 });
    // The matrix in (from, to) order as text, whatever order the agents' ids came in; the reasons by count, then name.
    const pairs = [[ana, carlos], [carlos, ana], [maria, ana]].sort(([a, b], [c, d]) => (a! < c! ? -1 : a! > c! ? 1 : b! < d! ? -1 : 1));
    expect((await runMetric(clickhouse.client, "transfers_by_pair", day)).rows.map((r) => [r.key, r.series])).toEqual(pairs);
    expect((await runDashboard(clickhouse.client, "transfers", day)).find((p) => p.metricId === "transfers_by_pair")?.result?.rows.map((r) => [r.key, r.series])).toEqual(pairs);
    expect(await byKey("transfers_by_reason")).toEqual({ "Pedido anterior": 1, "Resuelto": 1, "Precio especial": 1 });
    expect((await runMetric(clickhouse.client, "transfers_by_reason", day)).rows.map((r) => r.key)).toEqual(["Pedido anterior", "Precio especial", "Resuelto"]);
    expect(await metricValue(clickhouse.client, "multi_transfer_conversations", day)).toBe(1);
  });

  it("filters one agent's rows", async () => {
    expect(await byKey("agent_conversations_handled", { ...day, filters: { agentId: carlos } })).toEqual({ [carlos]: 3 });
  });
});

describe("sales and conversions", () => {
  it("counts leads, wins, losses and the conversion rate", async () => {
    expect(await metricValue(clickhouse.client, "leads", day)).toBe(4);
    expect(await metricValue(clickhouse.client, "conversions", day)).toBe(3);
    expect(await metricValue(clickhouse.client, "lost", day)).toBe(1);
    expect(await byKey("loss_reasons")).toEqual({ precio: 1 });
    expect(await metricValue(clickhouse.client, "conversion_rate", day)).toBeCloseTo(3 / 4, 9);
    expect(await metricValue(clickhouse.client, "time_to_conversion_avg", day)).toBe(mean([2400, 1200, 1800]));
    expect(await byKey("funnel")).toEqual({ lead: 4, quoted: 2, won: 3 });
  });

  it("keeps money per currency, never adding pesos to dollars", async () => {
    expect(await byKey("revenue")).toEqual({ MXN: 17800, USD: 300 });
    expect(await byKey("avg_deal_value")).toEqual({ MXN: 17800 / 2, USD: 300 });
    // Conversions land in the range of their resolve: nothing was won before 09:40.
    expect(await metricValue(clickhouse.client, "conversions", { ...day, to: d("09:40") })).toBe(0);
  });
});

describe("a whole dashboard", () => {
  it("gives each panel the same result as its metric alone, and pending panels no number", async () => {
    const sales = await runDashboard(clickhouse.client, "sales", day);
    expect(sales.find((p) => p.metricId === "revenue")?.result).toEqual(await runMetric(clickhouse.client, "revenue", day));
    expect(sales.find((p) => p.metricId === "conversions")?.result?.rows).toEqual([{ value: 3 }]);
    const workload = await runDashboard(clickhouse.client, "workload", day);
    for (const panel of workload) expect(panel.result === null, panel.metricId).toBe(panel.status === "pending");
    // Assignments: conversation 1 three, 2 one, 3 one, 4 two, 5 one.
    expect(workload.find((p) => p.metricId === "assignments")?.result?.rows).toEqual([{ bucket: "2026-03-02 00:00", value: 8 }]);
  });
});

describe("teams, territories and transfer rates", () => {
  // First responses: 1 2 min, 2 3 min, 3 4 min, 4 5 min (Ventas); 5 2 min (no team).
  it("breaks volume, FRT, SLA and conversions down by team and by territory", async () => {
    expect(await byKey("team_sla_first_response_compliance", { ...day, firstResponseTargetSeconds: 200 })).toEqual({ [ventas]: 2 / 4, "00000000-0000-0000-0000-000000000000": 1 });
    expect(await byKey("team_resolution_time_avg")).toEqual({ [ventas]: mean([2400, 1200, 1800, 2400]), "00000000-0000-0000-0000-000000000000": 600 });
    expect(await byKey("team_conversions")).toEqual({ [ventas]: 3 });
    expect(await byKey("territory_volume")).toEqual({ "": 1, Centro: 2, Norte: 2 });
    expect(await byKey("territory_first_response_time_avg")).toEqual({ "": 120, Centro: mean([180, 300]), Norte: mean([120, 240]) });
    expect(await byKey("territory_conversions")).toEqual({ Centro: 1, Norte: 2 });
    expect(await metricValue(clickhouse.client, "conversions", { ...day, filters: { territory: "Norte" } })).toBe(2);
  });

  it("relates transfers to handled conversations and to the stint they ended", async () => {
    // 3 transfers; 5 conversations had someone assigned who wrote.
    expect(await metricValue(clickhouse.client, "transfer_rate", day)).toBeCloseTo(3 / 5, 9);
    // Ana 09:01→09:16, Carlos 09:16→09:30, María 12:01→12:10.
    expect(await metricValue(clickhouse.client, "time_before_transfer_avg", day)).toBeCloseTo(mean([900, 840, 540]), 9);
    // Both transferred cycles (1 won, 4 lost) ended resolved.
    expect(await metricValue(clickhouse.client, "transfer_then_resolved_rate", day)).toBe(1);
  });

  it("counts messages per cycle and the peak inbound hour", async () => {
    // Customer + agent messages: 1 → 2 + 3, 2 → 1 + 1, 3 → 1 + 1, 4 → 1 + 1, 5 → 1 + 1.
    expect(await metricValue(clickhouse.client, "messages_per_conversation", day)).toBeCloseTo(mean([5, 2, 2, 2, 2]), 9);
    // Inbound at 09:00 and 09:15 UTC fall in 03:00 Mexico City; every other hour has one.
    expect((await runMetric(clickhouse.client, "peak_hour", day)).rows).toEqual([{ key: "3", value: 2 }]);
  });

  it("maps inbound by weekday and hour in the query's zone, gives a tied peak to the earliest hour, and filters the series by agent", async () => {
    // Inbound (UTC) 09:00, 09:15, 10:00, 11:00, 12:00, 13:00 on Monday 2 March: 03:00 (two), 04:00 … 07:00 in Mexico City.
    expect((await runMetric(clickhouse.client, "inbound_heatmap", day)).rows)
      .toEqual([["3", 2], ["4", 1], ["5", 1], ["6", 1], ["7", 1]].map(([hour, value]) => ({ key: "1", series: hour, value })));
    // From 10:00 UTC every hour has one: the first of them.
    expect((await runMetric(clickhouse.client, "peak_hour", { ...day, from: d("10:00") })).rows).toEqual([{ key: "4", value: 1 }]);
    // Only the 09:15 message had an assignee (Ana, since 09:01) when it came in.
    expect((await runMetric(clickhouse.client, "messages_inbound", { ...day, bucket: "hour", filters: { agentId: ana } })).rows)
      .toEqual([{ bucket: "2026-03-02 03:00", value: 1 }]);
    expect((await runMetric(clickhouse.client, "messages_inbound", { ...day, bucket: "hour" })).rows.map((r) => [r.bucket, r.value]))
      .toEqual([["2026-03-02 03:00", 2], ["2026-03-02 04:00", 1], ["2026-03-02 05:00", 1], ["2026-03-02 06:00", 1], ["2026-03-02 07:00", 1]]);
  });
});
