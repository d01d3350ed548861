import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, dashboards, readRollupState, runDashboard, type MetricQuery, type RollupState } from "../src/index.js";
import { benchIds, benchSchedules, generate, type BenchRow } from "../bench/generate.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";

/**
 * The hand-written histories of the other tests fix each metric's numbers; this one asks that no board's numbers
 * depend on when the compactor ran. A generated week (the bench's generator: claims, transfers, notes, tags,
 * reopens, sales in two currencies, CSAT, presence) is loaded in two parts with a run between them, so the cycles
 * the second part touches are hot over compacted ones (the agent board then splits its range at the hot floor, the
 * hourly counts at their hot hours), and every board over several ranges and filters must give what it gives with
 * everything compacted, and what it gives from the facts alone, with nothing compacted at all.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const END = new Date("2026-03-09T00:00:00Z");
const ids = benchIds(12);
const rows: BenchRow[] = [...generate({ conversations: 1_200, agents: 12, days: 7, end: END, seed: 5 })].flat();
// The last 30 hours arrive after the first run: the conversations still going then become hot.
const CUT = END.getTime() - 30 * 3_600_000;
const before = rows.filter((r) => Date.parse(r.occurred_at) < CUT);
const after = rows.filter((r) => Date.parse(r.occurred_at) >= CUT);

const HOUR = 3_600_000;
const base = { tenantId: ids.tenant, timeZone: "America/Mexico_City", bucket: "day" as const, teamSchedules: benchSchedules(ids.teams) };
/** UTC midnights (the agent board's day sums whole), local midnights (a partial UTC day at each end), ends inside an hour. */
const ranges: Record<string, MetricQuery> = {
  utc: { ...base, timeZone: "UTC", from: new Date(END.getTime() - 7 * 24 * HOUR), to: END },
  local: { ...base, from: new Date(END.getTime() - 6 * 24 * HOUR + 6 * HOUR), to: new Date(END.getTime() + 6 * HOUR) },
  ragged: { ...base, bucket: "hour", from: new Date(END.getTime() - 4 * 24 * HOUR + 3 * HOUR + 17 * 60_000), to: new Date(END.getTime() - 5 * HOUR - 43 * 60_000) },
  agent: { ...base, from: new Date(END.getTime() - 6 * 24 * HOUR + 6 * HOUR), to: END, filters: { agentId: ids.agents[4] } },
  team: { ...base, from: new Date(END.getTime() - 6 * 24 * HOUR + 6 * HOUR), to: END, filters: { teamIds: [ids.teams[1]!], channelId: ids.channels[0] } },
  tag: { ...base, from: new Date(END.getTime() - 6 * 24 * HOUR + 6 * HOUR), to: END, filters: { tag: "quoted" } },
  // On the territory a compacted cycle or hot row holds, or looked up for cycles aggregated from their facts.
  territory: { ...base, timeZone: "UTC", from: new Date(END.getTime() - 7 * 24 * HOUR), to: END, filters: { territory: "Norte" } },
  tagTerritory: { ...base, timeZone: "UTC", from: new Date(END.getTime() - 7 * 24 * HOUR), to: END, filters: { tag: "quoted", territory: "Norte" } },
  // A supervisor of one team: the workload board reads that team's hours, the agent board its transfers summed.
  scope: { ...base, timeZone: "UTC", from: new Date(END.getTime() - 7 * 24 * HOUR), to: END, filters: { teamIds: [ids.teams[2]!] } },
};

/** Every panel of every board over every range. */
async function everyBoard(rollup?: RollupState): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [name, range] of Object.entries(ranges)) {
    for (const board of dashboards) {
      for (const p of await runDashboard(client, board.id, { ...range, rollup })) {
        out[`${name} ${board.id}/${p.metricId}`] = p.result?.rows;
      }
    }
  }
  return out;
}

const load = (part: BenchRow[]) => client.insert({ table: "events", values: part, format: "JSONEachRow" });
/** Equal, numbers to 1e-9 of their size: sums taken in another order differ in the last bits. */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}
/** The panels that differ, so a failure names them instead of printing every board twice. */
const differing = (actual: Record<string, unknown>, expected: Record<string, unknown>) => Object.keys(expected).filter((k) => !same(actual[k], expected[k]));

describe("numbers whatever the compactor did", () => {
  it("gives every board the same numbers hot, compacted and from the facts alone", async () => {
    await load(before);
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    await load(after);

    const state = await readRollupState(client, ids.tenant, { hotRowsAtOnce: true, agentSums: true, agentLoad: true });
    // Hot over compacted cycles: what the run wrote is read from the rollup and the sums, the rest from the facts.
    expect(state.hot.length).toBeGreaterThan(50);
    expect(state.hotRows).toBeDefined();
    expect(state.daysReady).toBe(true);
    // The agent board reads every hour summed, with what the hot cycles change there added (`agentDelta`), or (without
    // it) the hours up to the hot floor.
    expect(state.hotFloorMs).not.toBeNull();
    expect(state.agentDelta?.split("\n").length).toBeGreaterThan(50);
    const hot = await everyBoard();
    // The state's rows, the boards' own re-aggregation of the hot facts, and the hot cycles' hours from the cycles.
    expect(differing(await everyBoard(state), hot)).toEqual([]);
    expect(differing(await everyBoard({ ...state, hotRows: undefined }), hot)).toEqual([]);
    expect(differing(await everyBoard({ ...state, agentDelta: undefined }), hot)).toEqual([]);
    // The workload hours up to where the hot cycles' stints change (inside the range), or none: the range swept whole.
    expect(state.loadUntilMs).toBeLessThan(END.getTime());
    expect(differing(await everyBoard({ ...state, loadUntilMs: null }), hot)).toEqual([]);

    await compactCycles(client, { now: later(2), safetyMs: 0 });
    const settled = await readRollupState(client, ids.tenant, { agentSums: true });
    expect(settled.hot).toEqual([]);
    expect(differing(await everyBoard(), hot)).toEqual([]);

    // Nothing compacted: every cycle from its facts, every hour from its id sets.
    await client.command({ query: "TRUNCATE TABLE cycle_rollup_runs" });
    await client.command({ query: "TRUNCATE TABLE activity_counts_runs" });
    expect((await readRollupState(client, ids.tenant)).ready).toBe(false);
    const facts = await everyBoard();
    expect(differing(facts, hot)).toEqual([]);
    // Not vacuous: the week has sales, transfers, reopens and surveys, on most panels of every range.
    const filled = Object.values(facts).filter((v) => Array.isArray(v) && v.some((r: { value: number | null }) => r.value !== null && r.value !== 0));
    expect(filled.length).toBeGreaterThan(Object.keys(facts).length * 0.7);
  });
});
