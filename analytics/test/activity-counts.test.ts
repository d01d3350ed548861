import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, getMetric, metricStatement, readRollupState, runMetric, type MetricQuery, type RollupState } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const ventas = randomUUID();
const h = new History();
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);

// Two conversations over two hours: Ana writes at 09:02, 09:40 and 10:10 and a note at 09:45; Carlos writes at 09:33;
// an automation at 10:20 (not an agent message). Each is assigned once.
const a = h.conversation({ teamId: ventas });
a.open(d("09:00")).assign(d("09:01"), ana).agent(d("09:02")).agent(d("09:40")).note(d("09:45")).customer(d("10:05")).agent(d("10:10"));
const b = h.conversation({ teamId: ventas });
b.open(d("09:30")).assign(d("09:31"), carlos, "round_robin").agent(d("09:33")).sent(d("10:20"), "automation");
const agentMessage = (hhmm: string) => h.events.find((e) => e.type === "message.sent" && e.occurred_at === d(hhmm).toISOString())!;

const day: MetricQuery = { tenantId: h.tenantId, from: d("00:00"), to: at("2026-03-03T00:00:00"), timeZone: "UTC", bucket: "hour" };
const byKey = async (id: string, rollup?: RollupState) => Object.fromEntries((await runMetric(client, id, { ...day, rollup })).rows.map((r) => [r.key ?? r.bucket, r.value]));
/** The panels on hourly counts, as a person counts them from the history above (in the state now, or in `rollup`). */
const numbers = async (rollup?: RollupState) => ({
  sent: await byKey("agent_messages_sent", rollup), notes: await byKey("agent_notes_written", rollup),
  agentSeries: await byKey("messages_outbound_agent", rollup), assignedBy: await byKey("assignments_by_agent", rollup),
});
const stored = async () => {
  const result = await client.query({
    query: `SELECT toString(agent_id) AS agent, sum(n) AS n FROM activity_counts FINAL WHERE tenant_id = {t:UUID} AND type = 'message.sent' AND detail = 'agent'
      GROUP BY agent_id ORDER BY agent`,
    query_params: { t: h.tenantId }, format: "JSONEachRow",
  });
  return Object.fromEntries((await result.json<{ agent: string; n: string | number }>()).map((r) => [r.agent, Number(r.n)]));
};
/** What a statement reads in the current state (or `rollup`): stored counts, merged id sets, the state's hot counts. */
const reads = async (rollup?: RollupState) => {
  const { sql } = metricStatement(getMetric("agent_messages_sent"), { ...day, rollup: rollup ?? await readRollupState(client, h.tenantId) });
  return { counts: sql.includes("activity_counts"), sets: sql.includes("activity_hourly"), hotCounts: sql.includes("{hot_counts:String}") };
};

describe("hourly activity counts (migration 0009)", () => {
  it("count each event once, from the id sets before compaction, stored counts after, and both for hours touched since", async () => {
    await loadEvents(client, h.events);
    await loadEvents(client, [agentMessage("09:40")]); // a redelivery: two rows in `events`, one message
    const first = {
      sent: { [ana]: 3, [carlos]: 1 }, notes: { [ana]: 1 },
      agentSeries: { "2026-03-02 09:00": 3, "2026-03-02 10:00": 1 }, assignedBy: { [ana]: 1, [carlos]: 1 },
    };
    expect(await reads()).toEqual({ counts: false, sets: true, hotCounts: false });
    expect(await numbers()).toEqual(first);

    const run = await compactCycles(client, { now: later(1), safetyMs: 0 });
    expect(run.hours).toBe(2); // 09:00 and 10:00
    expect(await reads()).toEqual({ counts: true, sets: false, hotCounts: false });
    expect(await stored()).toEqual({ [ana]: 3, [carlos]: 1 });
    expect(await numbers()).toEqual(first);

    // After the run: a late message of Ana's at 09:50 and the 09:02 one delivered again. Hour 09:00 is hot (its sets
    // are merged), 10:00 is still read from its count.
    await pastWatermark(run);
    a.agent(d("09:50"));
    await loadEvents(client, [h.events.at(-1)!, agentMessage("09:02")]);
    const second = { ...first, sent: { [ana]: 4, [carlos]: 1 }, agentSeries: { "2026-03-02 09:00": 4, "2026-03-02 10:00": 1 } };
    const hot = await readRollupState(client, h.tenantId);
    expect(hot.hotHours).toEqual(["2026-03-02 09:00:00"]);
    expect(hot.hotCounts).toBeUndefined();
    expect(await reads(hot)).toEqual({ counts: true, sets: true, hotCounts: false });
    expect(await numbers(hot)).toEqual(second);
    expect(await stored()).toEqual({ [ana]: 3, [carlos]: 1 }); // not rewritten yet
    // Read again with nothing new (a board polled, another board): the hot hour's counts, computed once, read back.
    const polled = await readRollupState(client, h.tenantId);
    expect(polled.hotCounts).toContain("message.sent");
    expect(await reads(polled)).toEqual({ counts: true, sets: false, hotCounts: true });
    expect(await numbers(polled)).toEqual(second);
    // Another message in the hot hour: new sets, so the counts wait for a second read of them again.
    a.agent(d("09:55"));
    await loadEvents(client, [h.events.at(-1)!]);
    const third = { ...second, sent: { [ana]: 5, [carlos]: 1 }, agentSeries: { "2026-03-02 09:00": 5, "2026-03-02 10:00": 1 } };
    const changed = await readRollupState(client, h.tenantId);
    expect(changed.hotCounts).toBeUndefined();
    expect(await numbers(changed)).toEqual(third);
    expect(await numbers(await readRollupState(client, h.tenantId))).toEqual(third);

    // The next run rewrites hour 09:00 under a newer version; the older one stays until a merge, FINAL reads the newest.
    await client.command({ query: "SYSTEM STOP MERGES activity_counts" });
    const again = await compactCycles(client, { now: later(2), safetyMs: 0 });
    expect(again.hours).toBe(1);
    expect(await reads()).toEqual({ counts: true, sets: false, hotCounts: false });
    expect(await stored()).toEqual({ [ana]: 5, [carlos]: 1 });
    expect(await numbers()).toEqual(third);
    await client.command({ query: "SYSTEM START MERGES activity_counts" });
    await client.command({ query: "OPTIMIZE TABLE activity_counts FINAL" });
    expect(await numbers()).toEqual(third);
  });

  it("merge a month's parts after a large run, with every hour still counted once", async () => {
    const [last] = await (await client.query({ query: "SELECT toString(max(watermark)) AS w FROM activity_counts_runs", format: "JSONEachRow" })).json<{ w: string }>();
    await pastWatermark({ watermark: new Date(`${last!.w.replace(" ", "T")}Z`) });
    // Another tenant: Ana writes once an hour for 30 hours (March 2, 00:30 to March 3, 05:30), the 10th one twice.
    const h2 = new History();
    const c = h2.conversation({ teamId: ventas });
    c.open(d("00:00")).assign(d("00:01"), ana);
    for (let i = 0; i < 30; i++) c.agent(new Date(d("00:30").getTime() + i * 3_600_000));
    await loadEvents(client, h2.events);
    await loadEvents(client, [h2.events.filter((e) => e.type === "message.sent")[9]!]);
    const run = await compactCycles(client, { now: later(3), safetyMs: 0 });
    expect(run.hours).toBe(30);
    const q: MetricQuery = { tenantId: h2.tenantId, from: d("00:00"), to: at("2026-03-04T00:00:00"), timeZone: "UTC", bucket: "day" };
    expect((await runMetric(client, "agent_messages_sent", q)).rows).toEqual([{ key: ana, value: 30 }]);
    expect((await runMetric(client, "messages_outbound_agent", q)).rows).toEqual([{ bucket: "2026-03-02 00:00", value: 24 }, { bucket: "2026-03-03 00:00", value: 6 }]);
    const parts = await client.query({ query: "SELECT count() AS n FROM system.parts WHERE table = 'activity_counts' AND active AND partition = '202603'", format: "JSONEachRow" });
    expect(Number((await parts.json<{ n: string }>())[0]!.n)).toBe(1);
  });
});
