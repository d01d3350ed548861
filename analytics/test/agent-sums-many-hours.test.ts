import { randomUUID } from "node:crypto";
import { formatQueryParams } from "@clickhouse/client/dist/common/index.js";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles } from "../src/index.js";
import { tempClickHouse, watchingQueries, type SentQuery } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { History, loadEvents } from "./support/history.js";

/**
 * A compaction run after an outage or a replay rewrites the agent sums of thousands of hours at once. Each write sends
 * its buckets as a parameter, and a ClickHouse server refuses one past 128 KiB (`http_max_field_value_size`): a refused
 * write would fail that run and every one after it. Embedded ClickHouse has no such limit, so the test reads what the
 * compactor sends.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const ana = randomUUID();
const h = new History();
const HOURS = 2_200;
const T0 = Date.parse("2026-01-01T00:00:00Z");
const inHour = (hour: number, minute: number) => new Date(T0 + hour * 3_600_000 + minute * 60_000);

describe("the agent sums after a backlog of many hours", () => {
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
    const fieldBytes = sent.flatMap((q) => Object.values(q.query_params ?? {}).map((value) => Buffer.byteLength(formatQueryParams({ value }))));
    expect(Math.max(...fieldBytes)).toBeLessThanOrEqual(128 * 1024);
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
});
