import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { connectClickHouse, migrateClickHouse } from "@centralita/migrations";
import { compactCycles, readRollupState, type MetricQuery } from "../src/index.js";
import { NO_ROLLUP } from "../src/rollup/state.js";
import { agentBoard, readsResolvesFromCycles } from "./support/agent-board.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * Migration 0028 makes `agent_time_sums` again sorted by its view keys first (tag, territory, then the bucket). On a
 * database whose sums are built, the table comes back empty under the new key and the sums' build is undone: until the
 * next run the boards read the cycles, with the same numbers, and that run writes every bucket again.
 */
const dir = await mkdtemp(path.join(os.tmpdir(), "centralita-ch-"));
const clickhouse = await connectClickHouse({ dataDir: dir });
const client = clickhouse.client;
afterAll(async () => {
  await clickhouse.close();
  await rm(dir, { recursive: true, force: true });
});

const [ana, carlos, team] = [randomUUID(), randomUUID(), randomUUID()];
const h = new History();
// Norte, tagged vip: Ana answers in 4 min and resolves in an hour, CSAT 5. Sur: Carlos answers in 3 min, resolves in 30.
h.conversation({ teamId: team, territory: "Norte" }).open(at("2026-03-03T09:00")).tag(at("2026-03-03T09:00"), "vip").assign(at("2026-03-03T09:01"), ana)
  .agent(at("2026-03-03T09:04")).resolve(at("2026-03-03T10:00")).csat(at("2026-03-03T10:00"), 5);
h.conversation({ teamId: team, territory: "Sur" }).open(at("2026-03-03T11:00")).assign(at("2026-03-03T11:01"), carlos)
  .agent(at("2026-03-03T11:03")).resolve(at("2026-03-03T11:30"));

const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-03T00:00"), to: at("2026-03-04T00:00"), timeZone: "UTC" };
const views = { all: day, vipNorte: { ...day, filters: { tag: "vip", territory: "Norte" } }, sur: { ...day, filters: { territory: "Sur" } } };
const boards = async (rollup?: typeof NO_ROLLUP) =>
  Object.fromEntries(await Promise.all(Object.entries(views).map(async ([name, q]) => [name, await agentBoard(client, { ...q, rollup })])));
const summed = async () => !readsResolvesFromCycles(day, await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true }));
const sortingKey = async () => (await (await client.query({
  query: "SELECT sorting_key AS key FROM system.tables WHERE database = currentDatabase() AND name = 'agent_time_sums'", format: "JSONEachRow",
})).json<{ key: string }>())[0]?.key;

// By hand: every view, Ana's resolve (1 h, CSAT 5, 240 s) and Carlos's (30 min, 180 s); vip in Norte, Ana's; Sur, Carlos's.
const nothing = { agent_conversations_resolved: {}, agent_resolution_time_avg: {}, agent_csat_avg: {}, agent_revenue: {}, agent_first_response_time_avg: {}, agent_reopen_rate: {} };
const anas = { agent_conversations_resolved: { [ana]: 1 }, agent_resolution_time_avg: { [ana]: 3600 }, agent_csat_avg: { [ana]: 5 }, agent_first_response_time_avg: { [ana]: 240 } };
const carloss = { agent_conversations_resolved: { [carlos]: 1 }, agent_resolution_time_avg: { [carlos]: 1800 }, agent_first_response_time_avg: { [carlos]: 180 } };
const byHand = {
  all: {
    ...nothing, agent_conversations_resolved: { [ana]: 1, [carlos]: 1 }, agent_resolution_time_avg: { [ana]: 3600, [carlos]: 1800 }, agent_csat_avg: { [ana]: 5 },
    agent_first_response_time_avg: { [ana]: 240, [carlos]: 180 },
  },
  vipNorte: { ...nothing, ...anas },
  sur: { ...nothing, ...carloss },
};

describe("the agent sums sorted by their view keys (migration 0028)", () => {
  it("come back empty on a built database, read from the cycles until the next run writes them again", async () => {
    await migrateClickHouse(client, { until: "0027_agent_sums_by_tag_and_territory" });
    await loadEvents(client, h.events);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await summed()).toBe(true);
    expect(await boards()).toEqual(byHand);

    expect(await migrateClickHouse(client)).toEqual(["0028_agent_sums_keyed_views_first"]);
    expect(await sortingKey()).toBe("tenant_id, grain, tag, territory, at, agent, channel, team");
    expect(await summed()).toBe(false);
    expect(await boards()).toEqual(byHand);

    await compactCycles(client, { now: later(2), safetyMs: 0 });
    expect(await summed()).toBe(true);
    expect(await boards()).toEqual(byHand);
    expect(await boards(NO_ROLLUP)).toEqual(byHand);
  });
});
