import { randomUUID } from "node:crypto";
import { formatQueryParams } from "@clickhouse/client/dist/common/index.js";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles } from "../src/index.js";
import { tempClickHouse, watchingQueries, type SentQuery } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { History, loadEvents } from "./support/history.js";

/**
 * A compaction run after an outage or a replay rewrites the agent sums of thousands of hours at once, or the workload
 * hours of thousands of agents. Each write sends its buckets or agents as a parameter, and a ClickHouse server refuses
 * one past 128 KiB (`http_max_field_value_size`): a refused write would fail that run and every one after it. Embedded
 * ClickHouse has no such limit, so the tests read what the compactor sends.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const ana = randomUUID();
const h = new History();
const HOURS = 2_200;
const T0 = Date.parse("2026-01-01T00:00:00Z");
const inHour = (hour: number, minute: number) => new Date(T0 + hour * 3_600_000 + minute * 60_000);
/** The largest parameter of these statements as the client sends it, in bytes. */
const largestParam = (sent: SentQuery[]) => Math.max(...sent.flatMap((q) => Object.values(q.query_params ?? {}).map((value) => Buffer.byteLength(formatQueryParams({ value })))));

describe("a compaction run after a backlog", () => {
  it("writes every touched hour in writes whose parameters a server takes, each hour counted", async () => {
    // The first run builds every bucket at once (no parameter); the backlog comes after it.
    h.conversation().open(inHour(-2, 0)).assign(inHour(-2, 1), ana).agent(inHour(-2, 2)).resolve(inHour(-2, 10));
    await loadEvents(clickhouse.client, h.events);
    await pastWatermark(await compactCycles(clickhouse.client, { now: later(1), safetyMs: 0 }));
    // One conversation in each of 2,200 hours (~92 days): Ana resolves it 10 minutes in.
    const before = h.events.length;
    for (let hour = 0; hour < HOURS; hour++) {
      h.conversation().open(inHour(hour, 0)).assign(inHour(hour, 1), ana).agent(inHour(hour, 2)).resolve(inHour(hour, 10));
    }
    await loadEvents(clickhouse.client, h.events.slice(before));

    const sent: SentQuery[] = [];
    await compactCycles(watchingQueries(clickhouse.client, (q) => sent.push(q)), { now: later(1), safetyMs: 0 });
    const writes = sent.filter((q) => q.query.startsWith("INSERT INTO agent_time_sums"));
    // Every statement of the run, the sums' writes among them.
    expect(largestParam(sent)).toBeLessThanOrEqual(128 * 1024);
    // Hours in three writes (1,000 at most each), then the 92 days they touch in one.
    expect(writes.length).toBe(4);

    // By hand: one resolve an hour. 2,200 hours from 01-01 are 91 whole days (01-01 to 04-01, 24 each) and 16 hours of
    // 04-02; the build's resolve is on 12-31 (22:10): 2,201 hours and 93 days with one.
    const result = await clickhouse.client.query({
      query: `SELECT grain, count() AS buckets, sum(resolved) AS n, countIf(grain = 'day' AND resolved = 24) AS whole_days
        FROM agent_time_sums FINAL WHERE tenant_id = {t:UUID} AND resolved > 0 GROUP BY grain ORDER BY grain`,
      query_params: { t: h.tenantId }, format: "JSONEachRow",
    });
    const rows = (await result.json<Record<string, string | number>>()).map((r) => [r.grain, Number(r.buckets), Number(r.n), Number(r.whole_days)]);
    expect(rows).toEqual([["hour", HOURS + 1, HOURS + 1, 0], ["day", 93, HOURS + 1, 91]]);
  });

  it("writes the workload hours of thousands of agents whose presence arrived late in writes a server takes", async () => {
    // 3,500 agents of one tenant, each online 10–40 minutes into an hour three hours ago, arriving after a run.
    const g = new History();
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const seed = randomUUID();
    g.presence(seed, "offline", "online", new Date(hour - 3_600_000));
    await loadEvents(clickhouse.client, g.events);
    await pastWatermark(await compactCycles(clickhouse.client, { now: later(1), safetyMs: 0 }));
    const before = g.events.length;
    const agents = Array.from({ length: 3_500 }, () => randomUUID());
    for (const agent of agents) {
      g.presence(agent, "offline", "online", new Date(hour + 10 * 60_000));
      g.presence(agent, "online", "offline", new Date(hour + 40 * 60_000));
    }
    await loadEvents(clickhouse.client, g.events.slice(before));

    const sent: SentQuery[] = [];
    await compactCycles(watchingQueries(clickhouse.client, (q) => sent.push(q)), { now: later(1), safetyMs: 0 });
    expect(largestParam(sent)).toBeLessThanOrEqual(128 * 1024);
    // By hand: each of them 30 minutes online in that hour, and nothing in the hour after.
    const result = await clickhouse.client.query({
      query: `SELECT count() AS agents, countIf(online_ms = 1800000 AND chat_ms = 0) AS as_by_hand FROM agent_load_hours FINAL
        WHERE tenant_id = {t:UUID} AND hour = toDateTime({at:Int64} / 1000, 'UTC') AND team = toUUIDOrZero('') AND agent_id != {seed:UUID}`,
      query_params: { t: g.tenantId, at: hour, seed }, format: "JSONEachRow",
    });
    expect((await result.json<{ agents: string; as_by_hand: string }>()).map((r) => [Number(r.agents), Number(r.as_by_hand)])).toEqual([[3_500, 3_500]]);
  });
});
