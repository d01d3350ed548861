import { afterAll, describe, expect, it } from "vitest";
import { benchIds, generate, type BenchRow } from "../bench/generate.js";
import { compactCycles, metricValue, type MetricQuery } from "../src/index.js";
import { NO_ROLLUP } from "../src/rollup/state.js";
import { contributionsOf, type CycleMeasures } from "../src/rollup/contributions.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later } from "./support/compaction.js";

/**
 * The state diffs hot cycles against their compacted rows with the contributions computed in TypeScript
 * (`contributions.ts`), and the board adds that difference to `agent_time_sums`, which the compactor writes with the
 * SQL's. So the TypeScript contributions of every compacted cycle, added up by UTC hour, agent, channel, team and tag
 * (every tag, '', and each of a cycle's: migration 0025), must be the sums the compactor wrote, and each of them again
 * under the cycle's territory (0026, 0027; the TypeScript side leaves that to the test: the change it computes is never
 * read for a territory's view): a generated week of resolves, sales in two currencies, surveys, reopens, first
 * responses, answered runs and stints.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const ids = benchIds(8);
const MEASURES = ["resolved", "resolution_s", "csat_n", "csat_sum", "won", "frt_n", "frt_sum", "reopened", "response_n", "response_ms", "stint_n", "stint_ms"];
/** Sums to 6 places (added in another order they differ in the last bits), values as the table keeps them. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

type Bucket = { measures: Record<string, number>; revenue: Record<string, number>; frt_values: number[] };
const emptyBucket = (): Bucket => ({ measures: Object.fromEntries(MEASURES.map((m) => [m, 0])), revenue: {}, frt_values: [] });

async function contributionsByHour(): Promise<Record<string, Bucket>> {
  const result = await client.query({
    query: `SELECT channel, team, toString(started_ms_) AS started, toString(resolved_ms_) AS resolved, toString(previous_resolved_ms_) AS previousResolved,
        is_reopen AS isReopen, prev_resolver AS prevResolver, result, resolve_agent AS resolveAgent, deal, cur, csat, exact_frt AS exactFrt,
        exact_frt_agent AS exactFrtAgent, responses, stints, transfer_n AS transfers, tag_set AS tags, territory
      FROM cycle_rollup FINAL WHERE tenant_id = {t:UUID}`,
    query_params: { t: ids.tenant }, format: "JSONEachRow",
  });
  const buckets: Record<string, Bucket> = {};
  for (const row of await result.json<Omit<CycleMeasures, "responses" | "stints"> & { responses: string[][]; stints: string[][]; territory: string }>()) {
    const m: CycleMeasures = { ...row, responses: row.responses.map(([w, a, s, r]) => [Number(w), a!, Number(s), Number(r)]), stints: row.stints.map(([a, f, t]) => [a!, Number(f), Number(t)]) };
    const keyed = contributionsOf(m).flatMap((c) => {
      const e = JSON.parse(c.json) as Record<string, number | string>;
      return [[c, e, ""] as const, ...(row.territory !== "" ? [[c, e, row.territory] as const] : [])];
    });
    for (const [c, e, territory] of keyed) {
      const key = `${new Date(Math.floor(Number(c.instant) / 3_600_000) * 3_600_000).toISOString()} ${e.agent} ${e.channel} ${e.team} ${e.tag} ${territory}`;
      const b = (buckets[key] ??= emptyBucket());
      for (const name of MEASURES) b.measures[name] = b.measures[name]! + Number(e[name] ?? 0);
      if (Number(e.won) > 0) b.revenue[String(e.cur)] = (b.revenue[String(e.cur)] ?? 0) + Number(e.deal);
      if (Number(e.frt_n) > 0) b.frt_values.push(Number(e.frt_sum));
    }
  }
  return buckets;
}

async function writtenSums(): Promise<Record<string, Bucket>> {
  const result = await client.query({
    query: `SELECT formatDateTime(at, '%Y-%m-%dT%H:00:00.000Z') AS hour, agent, channel, team, tag, territory, ${MEASURES.join(", ")}, revenue, frt_values
      FROM agent_time_sums FINAL WHERE tenant_id = {t:UUID} AND grain = 'hour' AND (resolved + csat_n + won + frt_n + reopened + response_n + stint_n) > 0`,
    query_params: { t: ids.tenant }, format: "JSONEachRow",
  });
  const rows = await result.json<Record<string, unknown>>();
  return Object.fromEntries(rows.map((r): [string, Bucket] => [`${r.hour} ${r.agent} ${r.channel} ${r.team} ${r.tag} ${r.territory}`, {
    measures: Object.fromEntries(MEASURES.map((m) => [m, Number(r[m])])), revenue: r.revenue as Record<string, number>, frt_values: r.frt_values as number[],
  }]));
}

/** Buckets with something counted (a resolve with no assignee and no survey or sale counts nothing), rounded. */
const normal = (buckets: Record<string, Bucket>) => Object.fromEntries(Object.entries(buckets).filter(([, b]) => ["resolved", "csat_n", "won", "frt_n", "reopened", "response_n", "stint_n"].some((m) => b.measures[m] !== 0)).map(([key, b]): [string, Record<string, unknown>] => [key, {
  ...Object.fromEntries(MEASURES.map((m): [string, number] => [m, round(b.measures[m]!)])),
  revenue: Object.fromEntries(Object.entries(b.revenue).map(([cur, v]) => [cur, round(v)])),
  frt_values: [...b.frt_values].sort((x, y) => x - y),
}]));

describe("the agent sums' contributions in TypeScript", () => {
  it("add up by hour to the sums the compactor wrote", async () => {
    const rows: BenchRow[] = [...generate({ conversations: 600, agents: 8, days: 7, end: new Date("2026-03-09T00:00:00Z"), seed: 7 })].flat();
    await client.insert({ table: "events", values: rows, format: "JSONEachRow" });
    await compactCycles(client, { now: later(1), safetyMs: 0 });
    const [ours, written] = [normal(await contributionsByHour()), normal(await writtenSums())];
    expect(Object.keys(written).length).toBeGreaterThan(100);
    // Not vacuous: the week has sales in two currencies, surveys and reopens.
    const totals = Object.values(written).reduce((t: { won: number; csat: number; reopened: number }, b) => ({ won: t.won + Number(b.won), csat: t.csat + Number(b.csat_n), reopened: t.reopened + Number(b.reopened) }), { won: 0, csat: 0, reopened: 0 });
    expect(totals.won * totals.csat * totals.reopened).toBeGreaterThan(0);
    expect(new Set(Object.values(written).flatMap((b) => Object.keys(b.revenue as Record<string, number>))).size).toBe(2);
    // And tagged cycles: their contributions are under '' and under their tag.
    expect(Object.keys(written).filter((key) => key.endsWith(" quoted ")).length).toBeGreaterThan(10);
    // And territories: each cycle's contributions with no tag are under its conversation's.
    expect(new Set(Object.keys(written).map((key) => key.split(" ").at(-1))).size).toBe(4);
    expect(ours).toEqual(written);
  });

  it("sum the stints transfers ended as the cycles' read finds them", async () => {
    // The week's whole UTC days: read summed once compacted (`xfer_*`, migration 0021), against every cycle read from its
    // facts (no rollup), whole and per agent and team, as the transfers board filters them.
    const week: MetricQuery = { tenantId: ids.tenant, from: new Date("2026-03-03T00:00:00Z"), to: new Date("2026-03-08T00:00:00Z"), timeZone: "UTC" };
    const fromFacts: MetricQuery = { ...week, rollup: NO_ROLLUP };
    const [written] = await (await client.query({
      query: "SELECT sum(xfer_n) AS n FROM agent_time_sums FINAL WHERE tenant_id = {t:UUID} AND grain = 'day' AND tag = '' AND territory = '' AND at >= '2026-03-03' AND at < '2026-03-08'",
      query_params: { t: ids.tenant }, format: "JSONEachRow",
    })).json<{ n: string }>();
    expect(Number(written!.n)).toBeGreaterThan(20);
    for (const filters of [{}, { agentId: ids.agents[0] }, { agentId: ids.agents[5] }, { teamId: ids.teams[1] }, { tag: "quoted" }, { territory: "Norte" }]) {
      const [summed, facts] = [await metricValue(client, "time_before_transfer_avg", { ...week, filters }), await metricValue(client, "time_before_transfer_avg", { ...fromFacts, filters })];
      expect(facts).not.toBeNull();
      expect(summed).toBeCloseTo(facts!, 6);
    }
  });
});
