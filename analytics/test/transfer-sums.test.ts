import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, getMetric, metricStatement, metricValue, readRollupState, runDashboard, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

/**
 * Time before transfer (the transferring agent's stint, from his assignment to the transfer) reads the range's whole
 * hours from the stints a transfer ended, summed per hour and day (`agent_time_sums`' `xfer_*`, migration 0021), and the
 * rest from the cycles. A range in Mexico City (UTC-6): 03-02 06:00Z → 03-05 06:00Z. The numbers must not depend on
 * where a stint was read, nor on a transfer arriving after the stint it ended was compacted.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const [teamA, teamB] = [randomUUID(), randomUUID()];
const h = new History();
// X1 (team A, tagged vip), 03-03: Ana 09:01 → transfer 09:16 (900 s), Carlos → transfer 09:30 (840 s); María resolves.
h.conversation({ teamId: teamA }).open(at("2026-03-03T09:00")).tag(at("2026-03-03T09:00"), "vip").assign(at("2026-03-03T09:01"), ana)
  .transfer(at("2026-03-03T09:16"), carlos).transfer(at("2026-03-03T09:30"), maria).resolve(at("2026-03-03T10:00"));
// X2 (team B), 03-04: María 12:01 → transfer 12:10 (540 s); Ana's stint ends at the resolve, no transfer: not counted.
h.conversation({ teamId: teamB }).open(at("2026-03-04T12:00")).assign(at("2026-03-04T12:01"), maria)
  .transfer(at("2026-03-04T12:10"), ana).resolve(at("2026-03-04T13:00"));
// X3 (team A), 03-04: Carlos 20:00 → transfer 20:20 (1,200 s).
h.conversation({ teamId: teamA }).open(at("2026-03-04T20:00")).assign(at("2026-03-04T20:00"), carlos).transfer(at("2026-03-04T20:20"), ana);
// X4 (team A), the range's last hour: Ana 05:00 → transfer 05:20 (1,200 s). X0 before the range: not counted.
h.conversation({ teamId: teamA }).open(at("2026-03-05T05:00")).assign(at("2026-03-05T05:00"), ana).transfer(at("2026-03-05T05:20"), carlos);
h.conversation({ teamId: teamA }).open(at("2026-03-02T05:00")).assign(at("2026-03-02T05:00"), ana).transfer(at("2026-03-02T05:30"), carlos);
// X6 (team A), 03-04: María 08:00 → transfer to team B's queue 08:45 (2,700 s), where Ana takes it at 09:30.
h.conversation({ teamId: teamA }).open(at("2026-03-04T08:00")).assign(at("2026-03-04T08:00"), maria).transferToQueue(at("2026-03-04T08:45"), teamB)
  .assign(at("2026-03-04T09:30"), ana).resolve(at("2026-03-04T10:00"));
// X5 (team B), 03-04: Carlos 15:00 → transfer 15:30 (1,800 s), whose transferred event arrives late, after a compaction:
// the assignment that ended Carlos' stint came first.
h.conversation({ teamId: teamB }).open(at("2026-03-04T15:00")).assign(at("2026-03-04T15:00"), carlos).transfer(at("2026-03-04T15:30"), ana);
const lateTransfer = h.events.splice(-2, 1);
await loadEvents(client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T06:00"), to: at("2026-03-05T06:00"), timeZone: "America/Mexico_City" };
const before = (q: MetricQuery) => metricValue(client, "time_before_transfer_avg", q);
/** Whether the statement reads the stints of the cycles at all (else the sums alone answer). A day's sums per agent (its rows are per team too). */
const readsCycles = async (q: MetricQuery) => /FROM cycles AS c\b/.test(metricStatement(getMetric("time_before_transfer_avg"),
  { ...q, rollup: await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true }) }).sql);
const dayRows = async (day: string, tag = "") => (await (await client.query({
  query: `SELECT toString(agent) AS agent, toUInt32(sum(xfer_n)) AS n, toString(sum(xfer_ms)) AS ms FROM agent_time_sums FINAL
    WHERE tenant_id = {tenant:UUID} AND grain = 'day' AND tag = {tag:String} AND at = toDateTime({day:Date}, 'UTC') AND xfer_n > 0 GROUP BY agent ORDER BY agent`,
  query_params: { tenant: h.tenantId, day, tag }, format: "JSONEachRow",
})).json<Record<string, unknown>>());

// By hand, the range: X1's 900 and 840, X2's 540, X3's 1,200, X4's 1,200 and X6's 2,700 (X5's counts once its transfer is in).
const all = [900, 840, 540, 1200, 1200, 2700];

describe("time before transfer from the summed hours and the cycles", () => {
  it("gives the same from the cycles alone as from the sums once compacted", async () => {
    expect(await before(range)).toBeCloseTo(mean(all), 9);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readsCycles(range)).toBe(false);
    expect(await before(range)).toBeCloseTo(mean(all), 9);
    // Filters the sums have keys for: the transferring agent, the cycle's team.
    expect(await before({ ...range, filters: { agentId: ana } })).toBeCloseTo(mean([900, 1200]), 9);
    expect(await before({ ...range, filters: { teamId: teamB } })).toBeCloseTo(540, 9);
    expect(await before({ ...range, filters: { agentId: maria } })).toBeCloseTo(mean([540, 2700]), 9);
    expect(await before({ ...range, filters: { agentId: ana, teamId: teamB } })).toBeNull();
    // A tag (migration 0025): X1's two stints only, summed too; a territory no conversation has (0026), summed, none,
    // and with the tag (0027).
    const vip = { ...range, filters: { tag: "vip" } };
    expect(await readsCycles(vip)).toBe(false);
    expect(await before(vip)).toBeCloseTo(mean([900, 840]), 9);
    expect(await readsCycles({ ...range, filters: { territory: "Norte" } })).toBe(false);
    expect(await before({ ...range, filters: { territory: "Norte" } })).toBeNull();
    expect(await readsCycles({ ...range, filters: { tag: "vip", territory: "Norte" } })).toBe(false);
    expect(await before({ ...range, filters: { tag: "vip", territory: "Norte" } })).toBeNull();
    expect(await before({ ...range, filters: { tag: "vip", agentId: maria } })).toBeNull();
  });

  it("keeps each stint a transfer ended on the UTC day of the transfer, to the transferring agent", async () => {
    expect(await dayRows("2026-03-03")).toEqual([{ agent: ana, n: 1, ms: "900000" }, { agent: carlos, n: 1, ms: "840000" }]
      .sort((a, b) => a.agent.localeCompare(b.agent)));
    expect(await dayRows("2026-03-04")).toEqual([{ agent: carlos, n: 1, ms: "1200000" }, { agent: maria, n: 2, ms: String(540_000 + 2_700_000) }]
      .sort((a, b) => a.agent.localeCompare(b.agent)));
    // Under X1's tag too, and only X1's.
    expect(await dayRows("2026-03-03", "vip")).toEqual(await dayRows("2026-03-03"));
    expect(await dayRows("2026-03-04", "vip")).toEqual([]);
  });

  it("reads the partial hours from the cycles", async () => {
    // 06:30 → 05:25: X4's transfer (05:20) is in the last, partial hour; 05:15: it is not.
    const partial = { ...range, from: at("2026-03-02T06:30"), to: at("2026-03-05T05:25") };
    expect(await readsCycles(partial)).toBe(true);
    expect(await before(partial)).toBeCloseTo(mean(all), 9);
    expect(await before({ ...partial, to: at("2026-03-05T05:15") })).toBeCloseTo(mean(all.filter((s, i) => i !== 4)), 9);
  });

  it("counts a stint whose transfer arrives after it was compacted, before and after the next run", async () => {
    await loadEvents(client, lateTransfer);
    // X5's stints and contributions to the agent board are as compacted; its transfers are not: from its first stint's
    // start (15:00: a transfer ends its source's stint or starts its target's) on, they are read from the cycles.
    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    expect(state).toMatchObject({ hotFloorMs: null, hotTransferFloorMs: at("2026-03-04T15:00").getTime() });
    expect(await readsCycles(range)).toBe(true);
    expect(await before(range)).toBeCloseTo(mean([...all, 1800]), 9);
    const board = await runDashboard(client, "transfers", range);
    expect(board.find((p) => p.metricId === "time_before_transfer_avg")?.result?.rows[0]?.value).toBeCloseTo(mean([...all, 1800]), 9);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readsCycles(range)).toBe(false);
    expect(await before(range)).toBeCloseTo(mean([...all, 1800]), 9);
  });
});
