import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { NIL, NONE, REOPEN_OF } from "../query/cycle-columns.js";
import { chTime } from "../query/input.js";

/**
 * `agent_days` and `agent_hours` (migration 0018): the agent board's panels per UTC day (hour), agent, channel and team
 * (all but handled), written from the rollup by the compactor. A day (hour) is written whole (every key it has, and
 * zeros for keys it no longer has), so the newest version of each key is the day (hour) as the rollup has it.
 */

/** The UTC day, and hour, of an instant in ms. */
export const utcDay = (ms: string) => `toDate(fromUnixTimestamp64Milli(${ms}, 'UTC'), 'UTC')`;
export const utcHour = (ms: string) => `toDateTime(intDiv(${ms}, 3600000) * 3600, 'UTC')`;

type Bucket = { table: string; column: string; of: (ms: string) => string; type: string; startMs: (text: string) => number; ms: number };
const DAY_MS = 86_400_000;
/** Hours are written from the rollup, then their days from them. */
const HOURS: Bucket = { table: "agent_hours", column: "hour", of: utcHour, type: "DateTime('UTC')", startMs: (hour) => Date.parse(`${hour.replace(" ", "T")}Z`), ms: 3_600_000 };
const DAYS: Bucket = { table: "agent_days", column: "day", of: utcDay, type: "Date", startMs: (day) => Date.parse(`${day}T00:00:00Z`), ms: DAY_MS };

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

/** `test`: of (tenant_id, bucket) on a row of the rollup or of the table; `prune`: the rollup rows that may pass it. */
type BucketsTest = { test: (bucket: string) => string; prune: (ms: string) => string; pruneItems: string };

/** One kind of row: its bucket, agent and measures (the others none), from `from`, its rows in the tested buckets. */
const rows = (bucket: string, agent: string, measures: Record<string, string>, from: string, where: string) =>
  `SELECT tenant_id, ${bucket} AS bucket, ${agent} AS agent, channel, team, ${MEASURES.map(([name, none]) => `${measures[name] ?? none} AS ${name}`).join(", ")}
  FROM ${from} WHERE ${where}`;

/**
 * Each compacted cycle's measures in their instants' buckets: its resolve (to the assignee then), its first response
 * (to who wrote it), a reopen's previous resolve (to who resolved it), its answered runs (by start, to who answered)
 * and its ended stints (by end, to their agent).
 */
function contributions(b: Bucket, buckets: BucketsTest): string {
  const inBucket = (ms: string, prune: string) => `${buckets.test(b.of(ms))} AND ${prune}`;
  const hasAgent = `resolve_agent != ${NIL}`;
  return [
    rows(b.of("resolved_ms_"), "resolve_agent", {
      resolved: `toUInt32(${hasAgent})`, resolution_s: `if(${hasAgent}, (resolved_ms_ - started_ms_) / 1000, 0)`, csat_n: "toUInt32(csat > 0)",
      csat_sum: "toUInt64(csat)", won: "toUInt32(result = 'won')", revenue: "if(result = 'won', map(cur, deal), CAST(map(), 'Map(String, Float64)'))",
    }, "cycle_rollup FINAL", `resolved_ms_ != 0 AND ${inBucket("resolved_ms_", buckets.prune("resolved_ms_"))}`),
    rows(b.of("started_ms_"), "exact_frt_agent", { frt_n: "1", frt_sum: "assumeNotNull(exact_frt)", frt_values: "[assumeNotNull(exact_frt)]" },
      "cycle_rollup FINAL", `exact_frt IS NOT NULL AND ${inBucket("started_ms_", buckets.prune("started_ms_"))}`),
    rows(b.of("previous_resolved_ms_"), "prev_resolver", { reopened: "1" }, "cycle_rollup FINAL",
      `is_reopen = 1 AND ${inBucket("previous_resolved_ms_", buckets.prune(REOPEN_OF))}`),
    rows(b.of("r.3"), "r.2", { response_n: "1", response_ms: "r.1" }, "cycle_rollup FINAL ARRAY JOIN responses AS r",
      inBucket("r.3", buckets.pruneItems)),
    rows(b.of("s.3"), "s.1", { stint_n: "1", stint_ms: "s.3 - s.2" }, "cycle_rollup FINAL ARRAY JOIN stints AS s",
      `s.3 != -1 AND ${inBucket("s.3", buckets.pruneItems)}`),
  ].join("\n  UNION ALL\n  ");
}

/** A day's rows: its hours' (every measure adds up), written first. */
const hoursOfDays = (days: BucketsTest) => rows("toDate(hour, 'UTC')", "agent", Object.fromEntries(MEASURES.map(([name]) => [name, name])),
  "agent_hours FINAL", days.test("toDate(hour, 'UTC')"));

async function writeBuckets(client: ClickHouseClient, b: Bucket, buckets: BucketsTest, params: Record<string, unknown>): Promise<void> {
  // Zeros for every key the buckets have now: a key a rewritten one no longer has (a cycle moved to another team) reads 0.
  const zeros = rows(b.column, "agent", {}, `${b.table} FINAL`, buckets.test(b.column));
  const sums = b.column === "day" ? hoursOfDays(buckets) : contributions(b, buckets);
  await client.command({
    query: `INSERT INTO ${b.table} (tenant_id, ${b.column}, agent, channel, team, ${MEASURES.map(([name]) => name).join(", ")}, version)
      SELECT tenant_id, bucket, agent, channel, team, ${MEASURES.map(([name, , sum]) => `${sum}(${name})`).join(", ")}, {version:Int64}
      FROM (${sums}
        UNION ALL
        ${zeros})
      GROUP BY tenant_id, bucket, agent, channel, team`,
    query_params: params,
  });
}

const EVERY_BUCKET: BucketsTest = { test: () => "1", prune: () => "1", pruneItems: "1" };

/** Every day and hour from the rollup, then the build's row: from then on queries read them (`agentSumsWindow`). */
async function buildEveryBucket(client: ClickHouseClient, version: number): Promise<number> {
  for (const b of [HOURS, DAYS]) await writeBuckets(client, b, EVERY_BUCKET, { version });
  const [row] = await (await client.query({ query: "SELECT uniqExact(tenant_id, day) AS n FROM agent_days", format: "JSONEachRow" })).json<{ n: string }>();
  await client.insert({ table: "agent_days_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), days: Number(row?.n ?? 0) }] });
  return Number(row?.n ?? 0);
}

/** The (tenant, UTC hour) pairs an instant of the cycles' facts (`cycles`: a test on `cycle_facts_v2`) falls on. */
async function touchedHours(client: ClickHouseClient, cycles: string, params: Record<string, unknown>): Promise<Array<[string, string]>> {
  const result = await client.query({
    query: `SELECT DISTINCT toString(tenant_id) AS tenant, toString(${utcHour("ms")}) AS hour
      FROM cycle_facts_v2 ARRAY JOIN ${FACT_INSTANTS} AS ms WHERE ${cycles}`,
    query_params: params,
    format: "JSONEachRow",
  });
  return (await result.json<{ tenant: string; hour: string }>()).map(({ tenant, hour }) => [tenant, hour]);
}

/** The touched buckets written again; the bounds let the rollup's sort key and indexes skip the granules outside them. */
async function writeTouched(client: ClickHouseClient, b: Bucket, touched: Array<[string, string]>, version: number): Promise<void> {
  const times = touched.map(([, bucket]) => b.startMs(bucket));
  const bounds = { lo: times.reduce((x, y) => Math.min(x, y)), hi: times.reduce((x, y) => Math.max(x, y)) + b.ms };
  const test: BucketsTest = {
    test: (bucket) => `(tenant_id, ${bucket}) IN {buckets:Array(Tuple(UUID, ${b.type}))}`,
    prune: (ms) => `${ms} >= {lo:Int64} AND ${ms} < {hi:Int64}`,
    pruneItems: "item_span.1 < {hi:Int64} AND item_span.2 >= {lo:Int64}",
  };
  await writeBuckets(client, b, test, { version, buckets: touched.map((pair) => new TupleParam(pair)), ...bounds });
}

/** Whether every day was written once (`agent_days_builds`): until then there is nothing to write a day over. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const result = await client.query({ query: "SELECT count() AS n FROM agent_days_builds", format: "JSONEachRow" });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

/**
 * After a compaction run wrote the rollup, before it is recorded: every day and hour on the first run (or the first
 * since migration 0018), else the hours, and their days, of the cycles it rewrote (`cycles`: its dirty test on
 * `cycle_facts_v2`). Until the run is recorded those cycles are hot, and queries read their hours from the cycles
 * (`RollupState.hotFloorMs`). Returns how many (tenant, day) pairs were written.
 */
export async function compactAgentDays(client: ClickHouseClient, cycles: string, params: Record<string, unknown>, version: number): Promise<number> {
  if (!(await built(client))) return buildEveryBucket(client, version);
  const hours = await touchedHours(client, cycles, params);
  if (hours.length === 0) return 0;
  const days = [...new Map(hours.map(([tenant, hour]) => [`${tenant} ${hour.slice(0, 10)}`, [tenant, hour.slice(0, 10)] as [string, string]])).values()];
  await writeTouched(client, HOURS, hours, version);
  await writeTouched(client, DAYS, days, version);
  return days.length;
}
