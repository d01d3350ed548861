import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, metricCatalog, runMetricsByAgent, runMetricsFor, type MetricQuery, type MetricResult } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * A report by agent reads the passes that group by agent once for every agent: each agent's row and the total must be
 * exactly what the report gave with a statement per row (the metric with that agent's filter), for every scalar metric,
 * compacted cycles and hot ones alike, under the board's other filters too.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, beto, caro, team] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const day = (time: string) => at(`2026-03-02T${time}`);
// Compacted: ana's won lead (FRT 5 min, CSAT 5; her reply read); a chat ana passes to beto after 8 min, lost (FRT 12
// min, by beto, whose reply failed); one the bot resolves alone; beto's chat (FRT 3 min, reply delivered) that its
// customer reopens. Ana is online 08:00-23:30, beto 09:00-17:00, caro 08:00-12:00 (no chats).
h.presence(ana, "offline", "online", day("08:00"));
h.presence(caro, "offline", "online", day("08:00"));
h.presence(beto, "offline", "online", day("09:00"));
h.presence(caro, "online", "offline", day("12:00"));
h.conversation({ teamId: team, isLead: true }).open(day("09:00")).assign(day("09:01"), ana).agent(day("09:05")).delivery(day("09:06"), "sent", "delivered", "read")
  .resolve(day("09:30"), { outcome: "won", value: 100, currency: "MXN" }).csat(day("09:31"), 5);
h.conversation({ teamId: team }).open(day("10:00")).assign(day("10:02"), ana).transfer(day("10:10"), beto).agent(day("10:12")).delivery(day("10:13"), "sent", "failed")
  .resolve(day("10:40"), { outcome: "lost", lossReason: "price" }).csat(day("10:41"), 2);
h.conversation({ teamId: team }).open(day("11:00")).resolve(day("11:05"), { by: "bot" });
const reopened = h.conversation({ teamId: team }).open(day("12:00")).assign(day("12:01"), beto).agent(day("12:03")).delivery(day("12:04"), "sent", "delivered")
  .resolve(day("12:20"));
await loadEvents(client, h.events.splice(0));
await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
// Hot: the reopen, which ana answers in 4 min (read); beto's chat with no reply, escalated to ana, passed to the team's
// queue after 15 min; ana's chat out of hours, answered in 30 min (delivered) and still open; beto's quoted lead (FRT 2
// min), passed to ana after 9 min, back after her 10, won.
reopened.reopen(day("13:00")).assign(day("13:01"), ana).agent(day("13:04")).delivery(day("13:05"), "sent", "delivered", "read").resolve(day("13:30"));
h.conversation({ teamId: team }).open(day("14:00")).assign(day("14:05"), beto).escalate(day("14:15"), ana).transferToQueue(day("14:20"), team).resolve(day("14:50"));
h.presence(beto, "online", "offline", day("17:00"));
h.conversation({ teamId: team }).open(day("22:00"), { outOfHours: true }).assign(day("22:01"), ana).agent(day("22:30")).delivery(day("22:31"), "sent", "delivered");
h.presence(ana, "online", "offline", day("23:30"));
h.conversation({ teamId: team, isLead: true }).open(day("15:00")).tag(day("15:00"), "quoted").assign(day("15:01"), beto).agent(day("15:02"))
  .transfer(day("15:10"), ana).transfer(day("15:20"), beto).resolve(day("16:00"), { outcome: "won", value: 50, currency: "USD" });
await loadEvents(client, h.events);

const weekdays = Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [["09:00", "18:00"]]]));
const base: MetricQuery = {
  tenantId: h.tenantId, from: day("00:00"), to: at("2026-03-03T00:00"), timeZone: "UTC",
  teamSchedules: [{ teamId: team, timeZone: "America/Mexico_City", businessHours: weekdays, holidays: [] }],
};
const agents = [ana, beto, caro];
const scalarIds = metricCatalog.filter((m) => m.kind === "scalar" && m.status === "implemented").map((m) => m.id);
const rowsOf = (agentIds: string[], query: MetricQuery) => [...agentIds.map((agentId) => ({ ...query, filters: { ...query.filters, agentId } })), query];
const value = (results: MetricResult[][], row: number, id: string) => results[row]![scalarIds.indexOf(id)]!.rows[0]!.value;
/** The tables with every number to 12 significant digits: averages summed in another order differ in the last bits. */
const rounded = (results: MetricResult[][]) => JSON.parse(JSON.stringify(results, (_, v: unknown) => (typeof v === "number" ? Number(v.toPrecision(12)) : v))) as unknown;
const expectSame = (grouped: MetricResult[][], perRow: MetricResult[][]) => expect(rounded(grouped)).toEqual(rounded(perRow));

describe("a report by agent", () => {
  it("gives every scalar metric's per-agent filter numbers for each agent and the total", async () => {
    const grouped = await runMetricsByAgent(client, scalarIds, base, agents);
    expectSame(grouped, await runMetricsFor(client, scalarIds, rowsOf(agents, base)));
    // First responses (s): ana's chats 300, 720 (beto's reply after her transfer), 240, 1800 and 120 (the lead she held
    // between beto's stints): 636; beto's 720, 180 and 120: 340; caro has none; every cycle's: 3360 / 6 = 560.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "first_response_time_avg"))).toEqual([636, 340, null, 560]);
    // Cycles resolved with the agent among their assignees: ana 4, beto 4 (a transfer counts for both ends), all 7.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "conversations_resolved"))).toEqual([4, 4, 0, 7]);
    // Transfers from or to the agent: ana 3 (to beto, to her, back), beto 4 (also the one to the queue), all 4.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "transfers"))).toEqual([3, 4, 0, 4]);
    // The reopen is of beto's resolve; bot containment ignores the agent filter: 1 of 7 in every row.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "reopens"))).toEqual([0, 1, 0, 1]);
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "bot_containment_rate"))).toEqual([1 / 7, 1 / 7, 1 / 7, 1 / 7]);
    // Statuses of the agent's own messages: ana 3 sent, 3 delivered, 2 read; beto 2 sent, 1 failed, 1 delivered.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "delivery_failure_rate"))).toEqual([0, 1 / 2, null, 1 / 5]);
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "read_rate"))).toEqual([2 / 3, 0, null, 2 / 4]);
    // Stints a transfer ended (s): ana's 480 and 600, beto's 900 (to the queue) and 540.
    expect([0, 1, 2, 3].map((row) => value(grouped, row, "time_before_transfer_avg"))).toEqual([540, 720, null, 630]);
    // Assignments: ana 5, beto 5, caro 0, all three online. Alone, an agent's is even (0), or none without any; across
    // the three, the coefficient of variation of 5, 5 and 0: (5√2/3) / (10/3).
    expect([0, 1, 2].map((row) => value(grouped, row, "assignment_balance"))).toEqual([0, 0, null]);
    expect(value(grouped, 3, "assignment_balance")).toBeCloseTo(Math.SQRT2 / 2, 12);
  });

  it("keeps the board's other filters and an agent filter of the total's own", async () => {
    const tagged: MetricQuery = { ...base, filters: { tag: "quoted" } };
    expectSame(await runMetricsByAgent(client, scalarIds, tagged, agents), await runMetricsFor(client, scalarIds, rowsOf(agents, tagged)));
    const anasView: MetricQuery = { ...base, filters: { agentId: ana } };
    const grouped = await runMetricsByAgent(client, scalarIds, anasView, [beto, caro]);
    expectSame(grouped, await runMetricsFor(client, scalarIds, rowsOf([beto, caro], anasView)));
    expect(value(grouped, 2, "conversations_resolved")).toBe(4);
  });

  it("gives an empty range's rows and a report of no agents", async () => {
    const empty: MetricQuery = { ...base, from: at("2026-04-01T00:00"), to: at("2026-04-02T00:00") };
    expectSame(await runMetricsByAgent(client, scalarIds, empty, agents), await runMetricsFor(client, scalarIds, rowsOf(agents, empty)));
    expect(await runMetricsByAgent(client, ["conversations_resolved"], base, [])).toEqual([[expect.objectContaining({ rows: [{ value: 7 }] })]]);
  });
});
