import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { NIL, NONE, REOPEN_OF } from "../query/cycle-columns.js";
import { chTime } from "../query/input.js";

/**
 * `agent_days` (migration 0018): the agent board's per-cycle panels per UTC day, agent, channel and team, written
 * from the rollup by the compactor. A day is written whole (every key it has, and zeros for keys it no longer has),
 * so the newest version of each key is the day as the rollup has it.
 */

/** The UTC day of an instant in ms. */
export const utcDay = (ms: string) => `toDate(fromUnixTimestamp64Milli(${ms}, 'UTC'), 'UTC')`;

const EMPTY_MAP = "CAST(map(), 'Map(String, Float64)')";
const NO_VALUES = "CAST([], 'Array(Float64)')";
const COLUMNS = ["resolved", "resolution_s", "csat_n", "csat_sum", "won", "revenue", "frt_n", "frt_sum", "frt_values", "reopened"];

/** `days`: a test of (tenant_id, day) on a row of the rollup (`ms` its instant) or of `agent_days`. */
type DaysTest = (day: string, ms: string | null) => string;

/**
 * Each compacted cycle's measures on its instants' days: its resolve (to the assignee then), its first response (to
 * who wrote it) and, a reopen, the resolve it reopens (to who resolved it).
 */
const contributions = (days: DaysTest) => `
  SELECT tenant_id, ${utcDay("resolved_ms_")} AS day, resolve_agent AS agent, channel, team,
    toUInt32(resolve_agent != ${NIL}) AS resolved, if(resolve_agent != ${NIL}, (resolved_ms_ - started_ms_) / 1000, 0) AS resolution_s,
    toUInt32(csat > 0) AS csat_n, toUInt64(csat) AS csat_sum, toUInt32(result = 'won') AS won,
    if(result = 'won', map(cur, deal), ${EMPTY_MAP}) AS revenue, toUInt32(0) AS frt_n, toFloat64(0) AS frt_sum, ${NO_VALUES} AS frt_values,
    toUInt32(0) AS reopened
  FROM cycle_rollup FINAL WHERE resolved_ms_ != 0 AND ${days(utcDay("resolved_ms_"), "resolved_ms_")}
  UNION ALL
  SELECT tenant_id, ${utcDay("started_ms_")}, exact_frt_agent, channel, team, 0, 0, 0, 0, 0, ${EMPTY_MAP},
    1, assumeNotNull(exact_frt), [assumeNotNull(exact_frt)], 0
  FROM cycle_rollup FINAL WHERE exact_frt IS NOT NULL AND ${days(utcDay("started_ms_"), "started_ms_")}
  UNION ALL
  SELECT tenant_id, ${utcDay("previous_resolved_ms_")}, prev_resolver, channel, team, 0, 0, 0, 0, 0, ${EMPTY_MAP}, 0, 0, ${NO_VALUES}, 1
  FROM cycle_rollup FINAL WHERE is_reopen = 1 AND ${days(utcDay("previous_resolved_ms_"), REOPEN_OF)}`;

/** Zeros for every key the days have now: a key the rewritten day no longer has (a resolve moved to another agent) reads 0. */
const zeros = (days: DaysTest) => `
  SELECT tenant_id, day, agent, channel, team, 0, 0, 0, 0, 0, ${EMPTY_MAP}, 0, 0, ${NO_VALUES}, 0
  FROM agent_days FINAL WHERE ${days("day", null)}`;

async function writeDays(client: ClickHouseClient, days: DaysTest, params: Record<string, unknown>): Promise<void> {
  await client.command({
    query: `INSERT INTO agent_days (tenant_id, day, agent, channel, team, ${COLUMNS.join(", ")}, version)
      SELECT tenant_id, day, agent, channel, team, sum(resolved), sum(resolution_s), sum(csat_n), sum(csat_sum), sum(won),
        sumMap(revenue), sum(frt_n), sum(frt_sum), groupArrayArray(frt_values), sum(reopened), {version:Int64}
      FROM (${contributions(days)}
        UNION ALL${zeros(days)})
      GROUP BY tenant_id, day, agent, channel, team`,
    query_params: params,
  });
}

/** Whether every day was written once (`agent_days_builds`): until then there is nothing to write a day over. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const result = await client.query({ query: "SELECT count() AS n FROM agent_days_builds", format: "JSONEachRow" });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

/**
 * The (tenant, day) pairs an instant of the rewritten cycles' facts falls on. Every version of a cycle (the one the
 * days hold, the one the rollup now has) takes its start, resolve and previous resolve from some row of its facts,
 * and facts are only added, so these days hold both.
 */
async function touchedDays(client: ClickHouseClient, cycles: string, params: Record<string, unknown>): Promise<Array<[string, string]>> {
  const result = await client.query({
    query: `SELECT DISTINCT toString(tenant_id) AS tenant, toString(${utcDay("ms")}) AS day
      FROM cycle_facts_v2 ARRAY JOIN [started_ms, resolved_ms, previous_resolved_ms] AS ms
      WHERE ${cycles} AND ms != 0 AND ms != ${NONE}`,
    query_params: params,
    format: "JSONEachRow",
  });
  return (await result.json<{ tenant: string; day: string }>()).map(({ tenant, day }) => [tenant, day]);
}

const DAY_MS = 86_400_000;

/**
 * After a compaction run wrote the rollup, before it is recorded: every day on the first run (or the first since
 * migration 0018), else the days of the cycles it rewrote (`cycles`: its dirty test on `cycle_facts_v2`). Until the
 * run is recorded those cycles are hot, and queries read their days from the cycles (`hotFloorMs`).
 */
export async function compactAgentDays(client: ClickHouseClient, cycles: string, params: Record<string, unknown>, version: number): Promise<number> {
  if (!(await built(client))) {
    await writeDays(client, () => "1", { version });
    const [row] = await (await client.query({ query: "SELECT uniqExact(day) AS n FROM agent_days", format: "JSONEachRow" })).json<{ n: string }>();
    await client.insert({ table: "agent_days_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), days: Number(row?.n ?? 0) }] });
    return Number(row?.n ?? 0);
  }
  const days = await touchedDays(client, cycles, params);
  if (days.length === 0) return 0;
  // The pairs test each row; the bounds let the rollup's sort key and resolve index skip the granules outside them.
  const times = days.map(([, day]) => Date.parse(`${day}T00:00:00Z`));
  const bounds = { lo: times.reduce((a, b) => Math.min(a, b)), hi: times.reduce((a, b) => Math.max(a, b)) + DAY_MS };
  const test: DaysTest = (day, ms) => `(tenant_id, ${day}) IN {days:Array(Tuple(UUID, Date))}${ms ? ` AND ${ms} >= {lo:Int64} AND ${ms} < {hi:Int64}` : ""}`;
  await writeDays(client, test, { version, days: days.map((pair) => new TupleParam(pair)), ...bounds });
  return days.length;
}
