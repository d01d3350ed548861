import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { NIL, NONE, REOPEN_OF } from "../query/cycle-columns.js";
import { chTime } from "../query/input.js";

/**
 * `agent_days` (migration 0018): the agent board's panels per UTC day, agent, channel and team (all but handled),
 * written from the rollup by the compactor. A day is written whole (every key it has, and zeros for keys it no
 * longer has), so the newest version of each key is the day as the rollup has it.
 */

/** The UTC day of an instant in ms. */
export const utcDay = (ms: string) => `toDate(fromUnixTimestamp64Milli(${ms}, 'UTC'), 'UTC')`;

/**
 * Every instant a row of `cycle_facts_v2` holds (start, resolve, previous resolve, each message and ownership change):
 * every version of a cycle takes each instant it puts on a day (a resolve, a start, a run's start, a stint's end) from
 * one of these, and facts are only added, so the days of these hold every version's.
 */
export const FACT_INSTANTS = `arrayFilter(ms -> ms != 0 AND ms != ${NONE}, arrayConcat([started_ms, resolved_ms, previous_resolved_ms],
  arrayMap(m -> m.1, finalizeAggregation(messages)), arrayMap(o -> o.1, finalizeAggregation(ownership))))`;

/** The measures, in the table's order, each with its value when a row has none and how rows of a key add up. */
const MEASURES: Array<[name: string, none: string, sum: string]> = [
  ["resolved", "0", "sum"], ["resolution_s", "0", "sum"], ["csat_n", "0", "sum"], ["csat_sum", "0", "sum"], ["won", "0", "sum"],
  ["revenue", "CAST(map(), 'Map(String, Float64)')", "sumMap"], ["frt_n", "0", "sum"], ["frt_sum", "0", "sum"],
  ["frt_values", "CAST([], 'Array(Float64)')", "groupArrayArray"], ["reopened", "0", "sum"],
  ["response_n", "0", "sum"], ["response_ms", "0", "sum"], ["stint_n", "0", "sum"], ["stint_ms", "0", "sum"],
];

/** `days`: a test of (tenant_id, day) on a row of the rollup or of `agent_days`; `prune`: the rollup rows that may pass it. */
type DaysTest = { test: (day: string) => string; prune: (ms: string) => string; pruneItems: string };

/** One kind of row: its day, agent and measures (the others none), from `from`, its rows on the tested days. */
const rows = (day: string, agent: string, measures: Record<string, string>, from: string, where: string) =>
  `SELECT tenant_id, ${day} AS day, ${agent} AS agent, channel, team, ${MEASURES.map(([name, none]) => `${measures[name] ?? none} AS ${name}`).join(", ")}
  FROM ${from} WHERE ${where}`;

/**
 * Each compacted cycle's measures on their instants' days: its resolve (to the assignee then), its first response (to
 * who wrote it), a reopen's previous resolve (to who resolved it), its answered runs (by start, to who answered) and its
 * ended stints (by end, to their agent).
 */
function contributions(days: DaysTest): string {
  const onDay = (ms: string, prune: string) => `${days.test(utcDay(ms))} AND ${prune}`;
  const hasAgent = `resolve_agent != ${NIL}`;
  return [
    rows(utcDay("resolved_ms_"), "resolve_agent", {
      resolved: `toUInt32(${hasAgent})`, resolution_s: `if(${hasAgent}, (resolved_ms_ - started_ms_) / 1000, 0)`, csat_n: "toUInt32(csat > 0)",
      csat_sum: "toUInt64(csat)", won: "toUInt32(result = 'won')", revenue: "if(result = 'won', map(cur, deal), CAST(map(), 'Map(String, Float64)'))",
    }, "cycle_rollup FINAL", `resolved_ms_ != 0 AND ${onDay("resolved_ms_", days.prune("resolved_ms_"))}`),
    rows(utcDay("started_ms_"), "exact_frt_agent", { frt_n: "1", frt_sum: "assumeNotNull(exact_frt)", frt_values: "[assumeNotNull(exact_frt)]" },
      "cycle_rollup FINAL", `exact_frt IS NOT NULL AND ${onDay("started_ms_", days.prune("started_ms_"))}`),
    rows(utcDay("previous_resolved_ms_"), "prev_resolver", { reopened: "1" }, "cycle_rollup FINAL",
      `is_reopen = 1 AND ${onDay("previous_resolved_ms_", days.prune(REOPEN_OF))}`),
    rows(utcDay("r.3"), "r.2", { response_n: "1", response_ms: "r.1" }, "cycle_rollup FINAL ARRAY JOIN responses AS r",
      onDay("r.3", days.pruneItems)),
    rows(utcDay("s.3"), "s.1", { stint_n: "1", stint_ms: "s.3 - s.2" }, "cycle_rollup FINAL ARRAY JOIN stints AS s",
      `s.3 != -1 AND ${onDay("s.3", days.pruneItems)}`),
  ].join("\n  UNION ALL\n  ");
}

async function writeDays(client: ClickHouseClient, days: DaysTest, params: Record<string, unknown>): Promise<void> {
  // Zeros for every key the days have now: a key a rewritten day no longer has (a cycle moved to another team) reads 0.
  const zeros = rows("day", "agent", {}, "agent_days FINAL", days.test("day"));
  await client.command({
    query: `INSERT INTO agent_days (tenant_id, day, agent, channel, team, ${MEASURES.map(([name]) => name).join(", ")}, version)
      SELECT tenant_id, day, agent, channel, team, ${MEASURES.map(([name, , sum]) => `${sum}(${name})`).join(", ")}, {version:Int64}
      FROM (${contributions(days)}
        UNION ALL
        ${zeros})
      GROUP BY tenant_id, day, agent, channel, team`,
    query_params: params,
  });
}

const EVERY_DAY: DaysTest = { test: () => "1", prune: () => "1", pruneItems: "1" };

/** Every day from the rollup, then the build's row: from then on queries read the days (`agentDaysWindow`). */
async function buildEveryDay(client: ClickHouseClient, version: number): Promise<number> {
  await writeDays(client, EVERY_DAY, { version });
  const [row] = await (await client.query({ query: "SELECT uniqExact(tenant_id, day) AS n FROM agent_days", format: "JSONEachRow" })).json<{ n: string }>();
  await client.insert({ table: "agent_days_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), days: Number(row?.n ?? 0) }] });
  return Number(row?.n ?? 0);
}

/** The (tenant, day) pairs an instant of the cycles' facts (`cycles`: a test on `cycle_facts_v2`) falls on. */
async function touchedDays(client: ClickHouseClient, cycles: string, params: Record<string, unknown>): Promise<Array<[string, string]>> {
  const result = await client.query({
    query: `SELECT DISTINCT toString(tenant_id) AS tenant, toString(${utcDay("ms")}) AS day
      FROM cycle_facts_v2 ARRAY JOIN ${FACT_INSTANTS} AS ms WHERE ${cycles}`,
    query_params: params,
    format: "JSONEachRow",
  });
  return (await result.json<{ tenant: string; day: string }>()).map(({ tenant, day }) => [tenant, day]);
}

const DAY_MS = 86_400_000;

/** The touched days written again; the bounds let the rollup's sort key and indexes skip the granules outside them. */
async function writeTouchedDays(client: ClickHouseClient, days: Array<[string, string]>, version: number): Promise<number> {
  if (days.length === 0) return 0;
  const times = days.map(([, day]) => Date.parse(`${day}T00:00:00Z`));
  const bounds = { lo: times.reduce((a, b) => Math.min(a, b)), hi: times.reduce((a, b) => Math.max(a, b)) + DAY_MS };
  const within = (ms: string) => `${ms} >= {lo:Int64} AND ${ms} < {hi:Int64}`;
  const test: DaysTest = {
    test: (day) => `(tenant_id, ${day}) IN {days:Array(Tuple(UUID, Date))}`,
    prune: within,
    pruneItems: "item_span.1 < {hi:Int64} AND item_span.2 >= {lo:Int64}",
  };
  await writeDays(client, test, { version, days: days.map((pair) => new TupleParam(pair)), ...bounds });
  return days.length;
}

/** Whether every day was written once (`agent_days_builds`): until then there is nothing to write a day over. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const result = await client.query({ query: "SELECT count() AS n FROM agent_days_builds", format: "JSONEachRow" });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

/**
 * After a compaction run wrote the rollup, before it is recorded: every day on the first run (or the first since
 * migration 0018), else the days of the cycles it rewrote (`cycles`: its dirty test on `cycle_facts_v2`). Until the
 * run is recorded those cycles are hot, and queries read their days from the cycles (`RollupState.hotFloorMs`).
 * Returns how many (tenant, day) pairs were written.
 */
export async function compactAgentDays(client: ClickHouseClient, cycles: string, params: Record<string, unknown>, version: number): Promise<number> {
  if (!(await built(client))) return buildEveryDay(client, version);
  return writeTouchedDays(client, await touchedDays(client, cycles, params), version);
}
