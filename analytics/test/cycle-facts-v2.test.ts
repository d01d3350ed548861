import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { connectClickHouse, migrateClickHouse } from "@centralita/migrations";
import { compactCycles, readRollupState, runDashboard, type MetricQuery } from "../src/index.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * Migrations 0014–0015 move `cycle_facts` to `cycle_facts_v2` (finer granules) on a live database: the history is
 * copied whole, touching no cycle, and events stored afterwards reach the new table and the views fed from it
 * (touches, territories), with the old table and its views gone.
 */
const clickhouse = await connectClickHouse({ dataDir: await mkdtemp(path.join(os.tmpdir(), "centralita-ch-")) });
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, ventas] = [randomUUID(), randomUUID()];
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);
const norte = h.conversation({ teamId: ventas, territory: "Norte" });
norte.open(d(2, "09:00")).assign(d(2, "09:01"), ana).agent(d(2, "09:05")).resolve(d(2, "09:30"));
const plain = h.conversation({ teamId: ventas });
plain.open(d(2, "11:00")).assign(d(2, "11:01"), ana).agent(d(2, "11:02")).resolve(d(2, "11:30"));
h.conversation({ teamId: ventas, territory: "Centro" }).open(d(4, "10:00")).assign(d(4, "10:01"), ana).agent(d(4, "10:04")).resolve(d(4, "10:30"));
norte.reopen(d(4, "12:00")).assign(d(4, "12:01"), ana).agent(d(4, "12:10")).resolve(d(4, "12:30"), { outcome: "won", value: 100, currency: "MXN" });
const beforeMigration = h.events.length;
// Stored after the migration: Sur opens on day 4, and the plain chat reopens.
const sur = h.conversation({ teamId: ventas, territory: "Sur" });
sur.open(d(4, "14:00")).assign(d(4, "14:01"), ana).agent(d(4, "14:06")).resolve(d(4, "14:30"));
plain.reopen(d(4, "13:00")).assign(d(4, "13:01"), ana).agent(d(4, "13:03")).resolve(d(4, "13:20"));

const perCycle = async (table: string) => (await (await client.query({
  query: `SELECT toString(conversation_id) AS c, cycle, min(started_ms) AS started, max(resolved_ms) AS resolved, max(territory) AS territory,
      max(outcome) AS outcome, arraySort(groupUniqArrayMerge(messages)) AS messages, arraySort(groupUniqArrayArray(assignees)) AS assignees
    FROM ${table} GROUP BY conversation_id, cycle ORDER BY c, cycle`,
  format: "JSONEachRow",
})).json());
const count = async (query: string) => Number((await (await client.query({ query, format: "JSONEachRow" })).json<{ n: string }>())[0]!.n);
const tables = async () => (await (await client.query({
  query: "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '%cycle_facts%' ORDER BY name", format: "JSONEachRow",
})).json<{ name: string }>()).map((r) => r.name);

const day4: MetricQuery = { tenantId: h.tenantId, from: d(4, "00:00"), to: d(5, "00:00"), timeZone: "UTC", bucket: "day" };
const territoryVolume = async () => {
  const panels = await runDashboard(client, "teams_territories", day4);
  return Object.fromEntries((panels.find((p) => p.metricId === "territory_volume")?.result?.rows ?? []).map((r) => [r.key, r.value]));
};

describe("cycle_facts_v2 (migrations 0014–0015)", () => {
  it("carries the history over whole, touching nothing, and drops the old table and its views", async () => {
    await migrateClickHouse(client, { until: "0013_rollup_conversation_territory" });
    await loadEvents(client, h.events.slice(0, beforeMigration));
    const history = await perCycle("cycle_facts");
    expect(history).toHaveLength(4);
    const touches = await count("SELECT count() AS n FROM cycle_touches");

    expect(await migrateClickHouse(client, { until: "0015_drop_cycle_facts_v1" })).toEqual(["0014_cycle_facts_fine_granules", "0015_drop_cycle_facts_v1"]);
    expect(await perCycle("cycle_facts_v2")).toEqual(history);
    expect(await count("SELECT count() AS n FROM cycle_touches")).toBe(touches);
    expect(await tables()).toEqual(["cycle_facts_v2", "cycle_facts_v2_mv"]);
    expect(await count("SELECT count() AS n FROM system.tables WHERE name IN ('cycle_touches_mv', 'conversation_territories_mv')")).toBe(0);
    expect(await count("SELECT countIf(engine_full LIKE '%index_granularity = 256%') AS n FROM system.tables WHERE name = 'cycle_facts_v2'")).toBe(1);
    // 0016 on the filled table: small compressed blocks for its reads by key, the facts unchanged.
    expect(await migrateClickHouse(client, { until: "0016_cycle_facts_small_blocks" })).toEqual(["0016_cycle_facts_small_blocks"]);
    expect(await count("SELECT countIf(engine_full LIKE '%min_compress_block_size = 4096%') AS n FROM system.tables WHERE name = 'cycle_facts_v2'")).toBe(1);
    expect(await perCycle("cycle_facts_v2")).toEqual(history);
    // By hand, day 4's starts: Centro's cycle 1 and Norte's cycle 2 (the territory through conversation_territories).
    expect(await territoryVolume()).toEqual({ Centro: 1, Norte: 1 });
    await migrateClickHouse(client);
  });

  it("keeps every later event: facts, touches and territories come from the new table", async () => {
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    await loadEvents(client, h.events.slice(beforeMigration));
    expect((await readRollupState(client, h.tenantId)).hot.sort()).toEqual([[plain.id, 2], [sur.id, 1]].sort());
    expect(await perCycle("cycle_facts_v2")).toHaveLength(6);
    expect(await count(`SELECT count() AS n FROM conversation_territories FINAL WHERE conversation_id = '${sur.id}' AND territory = 'Sur'`)).toBe(1);
    // By hand: Sur's cycle 1 and the plain chat's cycle 2 (no territory) join day 4's starts.
    const expected = { "": 1, Centro: 1, Norte: 1, Sur: 1 };
    expect(await territoryVolume()).toEqual(expected);
    await compactCycles(client, { now: later(1), safetyMs: 0 });
    expect(await territoryVolume()).toEqual(expected);
  });
});
