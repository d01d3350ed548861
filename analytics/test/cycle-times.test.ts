import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { metricValue, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean, percentileInc } from "./support/stats.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const ana = randomUUID();
const carlos = randomUUID();
const h = new History();

// Conversation A, cycle 1: a run of two customer messages, a late claim, then a second run.
const a = h.conversation().open(at("2026-03-02T09:00:00")).customer(at("2026-03-02T09:00:30"))
  .assign(at("2026-03-02T09:02:00"), ana).agent(at("2026-03-02T09:03:00"))
  .customer(at("2026-03-02T09:10:00")).agent(at("2026-03-02T09:11:00")).agent(at("2026-03-02T09:12:00"))
  .resolve(at("2026-03-02T09:20:00"));
// Cycle 2 (reopen): a bot message answers nobody; Carlos answers two runs.
a.reopen(at("2026-03-02T10:00:00")).sent(at("2026-03-02T10:01:00"), "bot")
  .assign(at("2026-03-02T10:04:00"), carlos, "round_robin").agent(at("2026-03-02T10:05:00"))
  .customer(at("2026-03-02T10:06:00")).customer(at("2026-03-02T10:06:20")).agent(at("2026-03-02T10:08:00"))
  .resolve(at("2026-03-02T10:09:00"));
// Conversation B: answered fast, then an unanswered run. Conversation C: nobody ever answers.
h.conversation().open(at("2026-03-02T11:00:00")).assign(at("2026-03-02T11:00:45"), ana).agent(at("2026-03-02T11:01:30"))
  .customer(at("2026-03-02T11:30:00"));
h.conversation().open(at("2026-03-02T12:00:00")).resolve(at("2026-03-02T12:30:00"), { outcome: "abandoned", by: "automation" });
// Conversation D: answered, resolved; then Ana reopens it herself and writes first: cycle 2's FRT runs from
// the customer's 14:10 answer to Ana's 14:13 reply, not from her own 14:00 message.
h.conversation().open(at("2026-03-02T13:00:00")).assign(at("2026-03-02T13:01:00"), ana).agent(at("2026-03-02T13:02:00")).resolve(at("2026-03-02T13:05:00"))
  .reopenByAgent(at("2026-03-02T14:00:00"), ana).agent(at("2026-03-02T14:00:00")).customer(at("2026-03-02T14:10:00")).agent(at("2026-03-02T14:13:00"));
await loadEvents(clickhouse.client, h.events);

const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00:00"), to: at("2026-03-03T00:00:00"), timeZone: "America/Mexico_City" };

// By hand, in seconds. FRT per cycle: A1 09:00:00 → 09:03:00, A2 10:00 → 10:05, B 11:00 → 11:01:30,
// D1 13:00 → 13:02, D2 14:10 → 14:13; C has none.
const frts = [180, 300, 90, 120, 180];
// Runs: A1 09:00→09:03 and 09:10→09:11; A2 10:00→10:05 and 10:06→10:08; B 11:00→11:01:30 (11:30 is
// unanswered); D1 13:00→13:02; D2 14:10→14:13.
const responses = [180, 60, 300, 120, 90, 120, 180];
// Cycle start → first human assignment: A1 2 min, A2 4 min, B 45 s, D1 1 min, D2 at once (Ana reopened it).
const assigns = [120, 240, 45, 60, 0];

describe("first response and response time across reopen cycles", () => {
  it("FRT is per cycle, from the cycle's first customer message, ignoring bot messages", async () => {
    expect(await metricValue(clickhouse.client, "first_response_time_avg", day)).toBeCloseTo(mean(frts), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_p50", day)).toBeCloseTo(percentileInc(frts, 0.5), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_p90", day)).toBeCloseTo(percentileInc(frts, 0.9), 6);
  });

  it("response time averages every answered run of customer messages", async () => {
    expect(await metricValue(clickhouse.client, "response_time_avg", day)).toBeCloseTo(mean(responses), 6);
    expect(await metricValue(clickhouse.client, "response_time_p50", day)).toBeCloseTo(percentileInc(responses, 0.5), 6);
    expect(await metricValue(clickhouse.client, "response_time_p90", day)).toBeCloseTo(percentileInc(responses, 0.9), 6);
  });

  it("time to assign, SLA compliance and breaches against a 2-minute target", async () => {
    expect(await metricValue(clickhouse.client, "time_to_assign_avg", day)).toBeCloseTo(mean(assigns), 6);
    expect(await metricValue(clickhouse.client, "time_to_assign_p90", day)).toBeCloseTo(percentileInc(assigns, 0.9), 6);
    const strict = { ...day, firstResponseTargetSeconds: 120 };
    // Within 120 s: B (90 s) and D1 (120 s), of five first responses.
    expect(await metricValue(clickhouse.client, "sla_first_response_compliance", strict)).toBeCloseTo(2 / 5, 6);
    // A1 (180 s), A2 (300 s) and D2 (180 s) answered late; C waited 30 min with no answer at all.
    expect(await metricValue(clickhouse.client, "sla_breaches", strict)).toBe(4);
    expect(await metricValue(clickhouse.client, "sla_breaches", day)).toBe(1);
  });

  it("splits FRT by the hour the cycle started in the viewer's zone, and credits it to whoever answered", async () => {
    // Mexico City is UTC−6: 09:00Z is 03:00 local, 10:00Z 04:00, 11:00Z 05:00, 13:00Z 07:00, 14:00Z 08:00.
    const byHour = await runMetric(clickhouse.client, "first_response_time_by_hour_of_day", day);
    expect(byHour.rows).toEqual([{ key: "3", value: 180 }, { key: "4", value: 300 }, { key: "5", value: 90 }, { key: "7", value: 120 }, { key: "8", value: 180 }]);
    const byAgent = await runMetric(clickhouse.client, "agent_first_response_time_avg", day);
    expect(Object.fromEntries(byAgent.rows.map((r) => [r.key, r.value]))).toEqual({ [ana]: mean([180, 90, 120, 180]), [carlos]: 300 });
    const responseByAgent = await runMetric(clickhouse.client, "agent_response_time_avg", day);
    expect(Object.fromEntries(responseByAgent.rows.map((r) => [r.key, r.value]))).toEqual({ [ana]: mean([180, 60, 90, 120, 180]), [carlos]: mean([300, 120]) });
  });

  it("filters by agent (cycles he was assignee of) and by range", async () => {
    expect(await metricValue(clickhouse.client, "first_response_time_avg", { ...day, filters: { agentId: carlos } })).toBe(300);
    const morning = { ...day, to: at("2026-03-02T10:30:00") };
    expect(await metricValue(clickhouse.client, "first_response_time_avg", morning)).toBeCloseTo(mean([180, 300]), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_avg", { ...day, from: at("2026-03-03T00:00:00"), to: at("2026-03-04T00:00:00") })).toBeNull();
  });
});

describe("numbers do not depend on duplicates or merges", () => {
  const ids = ["first_response_time_avg", "response_time_p90", "time_to_assign_avg", "sla_breaches", "agent_messages_sent", "agent_handle_time_avg",
    "conversations_resolved", "messages_inbound", "messages_outbound_agent", "abandoned", "assignments_by_method"];
  const snapshot = async () => Object.fromEntries(await Promise.all(ids.map(async (id) => [id, (await runMetric(clickhouse.client, id, { ...day, bucket: "day" })).rows] as const)));

  it("the same events delivered again (another insert block, unmerged) and then merged change nothing", async () => {
    const before = await snapshot();
    // Customer messages: A1 3, A2 3, B 2, C 1, D 2, all on March 2nd in Mexico City; agent messages: A1 3, A2 2, B 1, D 3.
    expect(before.messages_inbound).toEqual([{ bucket: "2026-03-02 00:00", value: 11 }]);
    expect(before.messages_outbound_agent).toEqual([{ bucket: "2026-03-02 00:00", value: 9 }]);
    // Merges would collapse the copies at some moment; stopped, the raw table surely holds them while we query.
    for (const table of ["events", "cycle_facts_v2", "activity_hourly"]) await clickhouse.client.command({ query: `SYSTEM STOP MERGES ${table}` });
    await loadEvents(clickhouse.client, h.events);
    await loadEvents(clickhouse.client, h.events.slice(3, 12));
    const rawRows = await (await clickhouse.client.query({ query: "SELECT count() AS n FROM events", format: "JSONEachRow" })).json<{ n: string }>();
    expect(Number(rawRows[0]!.n)).toBe(h.events.length * 2 + 9);
    expect(await snapshot()).toEqual(before);
    for (const table of ["events", "cycle_facts_v2", "activity_hourly"]) {
      await clickhouse.client.command({ query: `SYSTEM START MERGES ${table}` });
      await clickhouse.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    }
    expect(await snapshot()).toEqual(before);
  });
});
