import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, runDashboard, type MetricQuery } from "../src/index.js";
import { runBackfill } from "./support/backfill.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The rollup stores each cycle's conversation territory (migration 0013), so the teams board reads a compacted
 * reopen's territory without a lookup. It must stay the conversation's whatever arrives late: an opening replayed
 * after its reopen was compacted reaches the reopen at once (looked up while hot) and in the rollup after the next
 * run; cycles compacted before the migration get it from the migration's backfill.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, ventas] = [randomUUID(), randomUUID()];
const h = new History();
const d = (day: number, hhmm: string) => at(`2026-03-0${day}T${hhmm}:00`);

// Norte opens on day 2 and reopens on day 4 (won). Sur likewise, but its day-2 opening reaches analytics only after
// its reopen was compacted (a dead letter replayed). Centro opens on day 4. The range is day 4.
const norte = h.conversation({ teamId: ventas, territory: "Norte" });
norte.open(d(2, "09:00")).assign(d(2, "09:01"), ana).agent(d(2, "09:05")).resolve(d(2, "09:30"));
const sur = h.conversation({ teamId: ventas, territory: "Sur" });
const surOpening = h.events.length;
sur.open(d(2, "10:00")).assign(d(2, "10:01"), ana).agent(d(2, "10:02")).resolve(d(2, "10:30"));
const surOpeningEnd = h.events.length;
h.conversation({ teamId: ventas, territory: "Centro" }).open(d(4, "10:00")).assign(d(4, "10:01"), ana).agent(d(4, "10:04")).resolve(d(4, "10:30"));
norte.reopen(d(4, "12:00")).assign(d(4, "12:01"), ana).agent(d(4, "12:10")).resolve(d(4, "12:30"), { outcome: "won", value: 100, currency: "MXN" });
sur.reopen(d(4, "13:00")).assign(d(4, "13:01"), ana).agent(d(4, "13:03")).resolve(d(4, "13:20"));
const lateOpening = h.events.slice(surOpening, surOpeningEnd);
const rest = [...h.events.slice(0, surOpening), ...h.events.slice(surOpeningEnd)];

const day4: MetricQuery = { tenantId: h.tenantId, from: d(4, "00:00"), to: d(5, "00:00"), timeZone: "UTC", bucket: "day" };
const territoryPanels = async (territory?: string) => {
  const panels = await runDashboard(client, "teams_territories", { ...day4, filters: { territory } });
  const byKey = (id: string) => Object.fromEntries((panels.find((p) => p.metricId === id)?.result?.rows ?? []).map((r) => [r.key, r.value]));
  return { volume: byKey("territory_volume"), frt: byKey("territory_first_response_time_avg"), conversions: byKey("territory_conversions") };
};
// By hand, day 4's starts: Centro's cycle 1 (FRT 4 min), Norte's cycle 2 (10 min, won), Sur's cycle 2 (3 min).
const expected = { volume: { Centro: 1, Norte: 1, Sur: 1 }, frt: { Centro: 240, Norte: 600, Sur: 180 }, conversions: { Norte: 1 } };
// Before Sur's opening arrives, nothing says Sur's reopen has a territory.
const withoutSur = { volume: { "": 1, Centro: 1, Norte: 1 }, frt: { "": 180, Centro: 240, Norte: 600 }, conversions: { Norte: 1 } };
// A view of one territory: its conversations' cycles only (a reopen's territory is its conversation's).
type Panels = Record<"volume" | "frt" | "conversions", Record<string, number>>;
const only = (territory: string, of: Panels = expected): Panels => ({
  volume: territory in of.volume ? { [territory]: of.volume[territory]! } : {},
  frt: territory in of.frt ? { [territory]: of.frt[territory]! } : {},
  conversions: territory in of.conversions ? { [territory]: of.conversions[territory]! } : {},
});
const eachTerritory = async () => ({ Norte: await territoryPanels("Norte"), Sur: await territoryPanels("Sur"), Centro: await territoryPanels("Centro") });
const onlyEach = (of: Panels) => ({ Norte: only("Norte", of), Sur: only("Sur", of), Centro: only("Centro", of) });
const storedTerritories = async () => Object.fromEntries((await (await client.query({
  query: `SELECT concat(toString(conversation_id), '/', toString(cycle)) AS k, territory FROM cycle_rollup FINAL WHERE tenant_id = {t:UUID}`,
  query_params: { t: h.tenantId }, format: "JSONEachRow",
})).json<{ k: string; territory: string }>()).map((r) => [r.k, r.territory]));

describe("the rollup's conversation territory", () => {
  it("is stored in a compacted reopen, and a late opening reaches it while hot and after the next run", async () => {
    await loadEvents(client, rest);
    // From the facts alone (no run yet), each territory's view looks its conversations up.
    expect(await eachTerritory()).toEqual(onlyEach(withoutSur));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect((await readRollupState(client, h.tenantId)).hot).toEqual([]);
    expect(await storedTerritories()).toMatchObject({ [`${norte.id}/2`]: "Norte", [`${norte.id}/1`]: "Norte", [`${sur.id}/2`]: "" });
    expect(await territoryPanels()).toEqual(withoutSur);
    // Compacted, on the territory each cycle stores.
    expect(await eachTerritory()).toEqual(onlyEach(withoutSur));

    await loadEvents(client, lateOpening);
    // Only Sur's cycle 1 is hot; its compacted cycle 2 still holds no territory, the board looks it up. Read again, the
    // state's hot rows hold every cycle of Sur, each with the conversation's territory.
    expect((await readRollupState(client, h.tenantId)).hot).toEqual([[sur.id, 1]]);
    expect((await storedTerritories())[`${sur.id}/2`]).toBe("");
    // Sur's view from its hot facts (no hot rows: its conversation looked up among the hot ones), then from the hot rows.
    const noRows = { ...(await readRollupState(client, h.tenantId)), hotRows: undefined };
    for (const territory of ["Sur", "Norte"]) {
      const panels = await runDashboard(client, "teams_territories", { ...day4, filters: { territory }, rollup: noRows });
      expect(panels.find((p) => p.metricId === "territory_volume")?.result?.rows.map((r) => [r.key, r.value])).toEqual([[territory, 1]]);
    }
    expect(await territoryPanels("Sur")).toEqual(only("Sur"));
    expect(await territoryPanels()).toEqual(expected);
    expect(await territoryPanels()).toEqual(expected);
    expect((await readRollupState(client, h.tenantId)).hotRows).toMatch(/\tSur\t/);
    expect(await eachTerritory()).toEqual(onlyEach(expected));

    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect((await readRollupState(client, h.tenantId)).hot).toEqual([]);
    expect(await storedTerritories()).toMatchObject({ [`${sur.id}/1`]: "Sur", [`${sur.id}/2`]: "Sur" });
    expect(await territoryPanels()).toEqual(expected);
    expect(await eachTerritory()).toEqual(onlyEach(expected));
  });

  it("is filled by the migration's backfill in cycles compacted before it", async () => {
    // Cycles as compacted before migration 0013: a reopen holds its own territory, none.
    await client.command({ query: `INSERT INTO cycle_rollup SELECT * REPLACE (version + 1 AS version, '' AS territory)
      FROM cycle_rollup FINAL WHERE cycle > 1` });
    expect((await territoryPanels()).volume).toEqual({ "": 2, Centro: 1 });
    await runBackfill(client, "0013_rollup_conversation_territory.sql");
    expect(await storedTerritories()).toMatchObject({ [`${norte.id}/2`]: "Norte", [`${sur.id}/2`]: "Sur" });
    expect(await territoryPanels()).toEqual(expected);
  });
});
