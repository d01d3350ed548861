import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, getMetric, metricStatement, readRollupState, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The agent board's messages sent and notes written read the range's whole UTC days summed by day
 * (`activity_counts_days`, migration 0022) and its other hours by hour; a day with an hour touched since the last run
 * (hot) by hours. The range 03-02 18:30 → 03-05 07:15 (UTC) reads the hours 03-02 18:00 through 03-05 07:00: the whole
 * days 03-03 and 03-04, and two partial ones.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const team = randomUUID();
const h = new History();
const a = h.conversation({ teamId: team }).open(at("2026-03-02T09:00")).assign(at("2026-03-02T09:01"), ana);
// Ana: one message before the range's first hour, two in it, three and a note on 03-03, two on 03-04, one in the last
// hour (07:10) and one after it (08:10). A bot's message is not an agent's.
a.agent(at("2026-03-02T10:00")).agent(at("2026-03-02T20:00")).agent(at("2026-03-02T20:05"));
a.agent(at("2026-03-03T09:00")).agent(at("2026-03-03T09:30")).agent(at("2026-03-03T15:00")).note(at("2026-03-03T15:01"));
a.agent(at("2026-03-04T11:00")).agent(at("2026-03-04T23:59")).sent(at("2026-03-04T12:00"), "bot");
a.agent(at("2026-03-05T07:10")).agent(at("2026-03-05T08:10"));
// Carlos: a message on 03-03, a message and two notes on 03-04.
const c = h.conversation({ teamId: team }).open(at("2026-03-03T10:00")).assign(at("2026-03-03T10:01"), carlos);
c.agent(at("2026-03-03T10:05")).agent(at("2026-03-04T10:00")).note(at("2026-03-04T10:01")).note(at("2026-03-04T16:00"));
await loadEvents(client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T18:30"), to: at("2026-03-05T07:15"), timeZone: "UTC" };
const perAgent = async (id: string, q = range) => Object.fromEntries((await runMetric(client, id, q)).rows.map((r) => [r.key, r.value]));
const counts = async (q = range) => ({ messages: await perAgent("agent_messages_sent", q), notes: await perAgent("agent_notes_written", q) });
const readsDays = async (q = range) => /\bactivity_counts_days\b/.test(metricStatement(getMetric("agent_messages_sent"),
  { ...q, rollup: await readRollupState(client, h.tenantId) }).sql);

// By hand: Ana 2 + 3 + 2 + 1 messages and a note; Carlos 2 messages and 2 notes.
const expected = (anaMessages = 8) => ({ messages: { [ana]: anaMessages, [carlos]: 2 }, notes: { [ana]: 1, [carlos]: 2 } });

describe("agent messages and notes from the days and the hours", () => {
  it("counts the same from the id sets, and from the days and hours once compacted", async () => {
    expect(await counts()).toEqual(expected());
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readsDays()).toBe(true);
    expect(await counts()).toEqual(expected());
    expect(await perAgent("agent_messages_sent", { ...range, filters: { agentId: carlos } })).toEqual({ [carlos]: 2 });
    // A range within one day has no whole day to read.
    const day: MetricQuery = { ...range, from: at("2026-03-03T06:00"), to: at("2026-03-03T20:00") };
    expect(await readsDays(day)).toBe(false);
    expect(await perAgent("agent_messages_sent", day)).toEqual({ [ana]: 3, [carlos]: 1 });
  });

  it("reads a day by hours while one of its hours is hot, until the next run writes it again", async () => {
    const before = h.events.length;
    a.agent(at("2026-03-03T12:00"));
    await loadEvents(client, h.events.slice(before));
    expect((await readRollupState(client, h.tenantId)).hotHours).toEqual(["2026-03-03 12:00:00"]);
    expect(await counts()).toEqual(expected(9));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readsDays()).toBe(true);
    expect(await counts()).toEqual(expected(9));
    const [row] = await (await client.query({
      query: `SELECT sum(n) AS n FROM activity_counts_days FINAL WHERE tenant_id = {t:UUID} AND day = '2026-03-03' AND type = 'message.sent' AND detail = 'agent' AND agent_id = {a:UUID}`,
      query_params: { t: h.tenantId, a: ana }, format: "JSONEachRow",
    })).json<{ n: string }>();
    expect(Number(row!.n)).toBe(4);
  });
});
