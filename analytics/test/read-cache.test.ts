import { randomUUID } from "node:crypto";
import { afterAll, expect, it } from "vitest";
import type { ClickHouseClient } from "@clickhouse/client";
import { compactCycles, runDashboard, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * A supervisor's board polled again reads the blocks it read last time from the engine's cache of decompressed blocks,
 * not from disk again: the embedded engine starts with that cache (a server leaves it off) and the metric statements
 * ask for it. The numbers are the same either way.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

/** The process's counters of the cache's lookups so far (ClickHouse's `system.events`, absent until the first). */
async function cacheLookups(c: ClickHouseClient): Promise<{ hits: number; misses: number }> {
  const rows = await (await c.query({
    query: "SELECT event, value FROM system.events WHERE event IN ('UncompressedCacheHits', 'UncompressedCacheMisses')", format: "JSONEachRow",
  })).json<{ event: string; value: string }>();
  const count = (event: string) => Number(rows.find((r) => r.event === event)?.value ?? 0);
  return { hits: count("UncompressedCacheHits"), misses: count("UncompressedCacheMisses") };
}

const [ana, team] = [randomUUID(), randomUUID()];
const h = new History();
h.conversation({ teamId: team }).open(at("2026-03-02T09:00")).assign(at("2026-03-02T09:01"), ana).agent(at("2026-03-02T09:05")).resolve(at("2026-03-02T09:30"));
h.conversation({ teamId: team }).open(at("2026-03-02T10:00")).assign(at("2026-03-02T10:02"), ana).agent(at("2026-03-02T10:12")).resolve(at("2026-03-02T10:40"));
await loadEvents(client, h.events);
await compactCycles(client, { now: later(1), safetyMs: 0 });
const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00"), to: at("2026-03-03T00:00"), timeZone: "UTC" };

it("starts the embedded engine with a cache of decompressed blocks and of skip-index granules", async () => {
  const rows = await (await client.query({
    query: "SELECT name, value FROM system.server_settings WHERE name IN ('uncompressed_cache_size', 'index_uncompressed_cache_size') ORDER BY name", format: "JSONEachRow",
  })).json<{ name: string; value: string }>();
  expect(rows).toEqual([{ name: "index_uncompressed_cache_size", value: String(256 * 1024 * 1024) }, { name: "uncompressed_cache_size", value: String(1024 * 1024 * 1024) }]);
});

it("serves a board polled again from the blocks its first poll decompressed, with the same numbers", async () => {
  const before = await cacheLookups(client);
  const first = await runDashboard(client, "response_times", day);
  const afterFirst = await cacheLookups(client);
  // The first poll decompresses the blocks it reads into the cache.
  expect(afterFirst.misses).toBeGreaterThan(before.misses);
  const second = await runDashboard(client, "response_times", day);
  const afterSecond = await cacheLookups(client);
  expect(afterSecond.hits).toBeGreaterThan(afterFirst.hits);
  expect(second).toEqual(first);
  // First responses of 5 and 12 minutes: the board's average is 510 s whichever way its blocks were read.
  expect(second.find((p) => p.metricId === "first_response_time_avg")?.result?.rows[0]?.value).toBe(510);
});
