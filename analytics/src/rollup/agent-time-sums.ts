import { TupleParam, type ClickHouseClient } from "@clickhouse/client";
import { aliveNear, HAS_RESOLVE_AGENT as hasAgent, NONE, REOPEN_OF } from "../query/cycle-columns.js";
import { chTime, msOfChTime } from "../query/input.js";
import { inWrites } from "./runs.js";

/**
 * `agent_time_sums` (migration 0018): the agent board's panels per UTC hour and per UTC day, agent, channel, team, tag
 * and territory (all but handled; migrations 0025–0027: ('', '') for every view, each of a cycle's tags and its
 * territory apart, and each tag with the territory), written from the rollup by the compactor. A bucket is written
 * whole (every key it has, and zeros for keys it no longer has), so the newest version of each key is the bucket as the
 * rollup has it. Sorted by the (tag, territory) pair first (0028): a view reads one pair.
 */

/** The UTC hour, and day, an instant in ms falls in (its start). */
export const utcHour = (ms: string) => `toDateTime(intDiv(${ms}, 3600000) * 3600, 'UTC')`;
const utcDay = (ms: string) => `toDateTime(intDiv(${ms}, 86400000) * 86400, 'UTC')`;

const TABLE = "agent_time_sums";
type Grain = { grain: "hour" | "day"; of: (ms: string) => string; ms: number };
/** Hours are written from the rollup, then their days from them. */
const HOURS: Grain = { grain: "hour", of: utcHour, ms: 3_600_000 };
const DAYS: Grain = { grain: "day", of: utcDay, ms: 86_400_000 };

/**
 * Every instant a row of `cycle_facts_v2` holds (start, resolve, previous resolve, each message and ownership change):
 * every version of a cycle takes each instant it puts on a day (a resolve, a start, a run's start, a stint's end) from
 * one of these, and facts are only added, so the days of these hold every version's.
 */
export const FACT_INSTANTS = `arrayFilter(ms -> ms != 0 AND ms != ${NONE}, arrayConcat([started_ms, resolved_ms, previous_resolved_ms],
  arrayMap(m -> m.1, finalizeAggregation(messages)), arrayMap(o -> o.1, finalizeAggregation(ownership))))`;

/** The measures, in the table's order, each with its value when a row has none, how rows of a key add up and its type. */
const MEASURES: Array<[name: string, none: string, sum: string, type: string]> = [
  ["resolved", "0", "sum", "UInt32"], ["resolution_s", "0", "sum", "Float64"], ["csat_n", "0", "sum", "UInt32"], ["csat_sum", "0", "sum", "UInt64"],
  ["won", "0", "sum", "UInt32"], ["revenue", "CAST(map(), 'Map(String, Float64)')", "sumMap", "Map(String, Float64)"], ["frt_n", "0", "sum", "UInt32"],
  ["frt_sum", "0", "sum", "Float64"], ["frt_values", "CAST([], 'Array(Float64)')", "groupArrayArray", "Array(Float64)"], ["reopened", "0", "sum", "UInt32"],
  ["response_n", "0", "sum", "UInt32"], ["response_ms", "0", "sum", "Int64"], ["stint_n", "0", "sum", "UInt32"], ["stint_ms", "0", "sum", "Int64"],
  ["xfer_n", "0", "sum", "UInt32"], ["xfer_ms", "0", "sum", "Int64"], ["xfer_out_n", "0", "sum", "UInt32"], ["xfer_in_n", "0", "sum", "UInt32"],
];

/**
 * `test`: of (tenant_id, bucket) on a row of the rollup or of the table; `prune`: the rollup rows that may pass it;
 * `pruneTransfers`: the rows of `transfers` whose instant may be in one of the buckets; `pruneTransferCycles`: the
 * rollup rows those transfers can be on (alive near the buckets: read whole, the join read the tenant's every cycle
 * with a transfer on each run, 22 -> 10 ms at 9.7M events).
 */
type BucketsTest = { test: (bucket: string) => string; prune: (ms: string) => string; pruneItems: string; pruneTransfers: string; pruneTransferCycles: string };

/**
 * One kind of row: its bucket (start), agent, tag and territory keys (`key`: the table's own, or a cycle's `keysOfCycle`
 * item) and measures (the others none), from `from`, its rows in the tested buckets.
 */
const rows = (bucket: string, agent: string, measures: Record<string, string>, from: string, where: string, key = "(tag, territory)") =>
  `SELECT tenant_id, ${bucket} AS bucket, ${agent} AS agent, channel, team, ${key}.1 AS key_tag, ${key}.2 AS key_territory, ${MEASURES.map(([name, none]) => `${measures[name] ?? none} AS ${name}`).join(", ")}
  FROM ${from} WHERE ${where}`;

/**
 * The (tag, territory) keys a cycle's contributions are written under (migrations 0025–0027): ('', '') for a view of
 * neither, each of its tags with no territory, and, with its conversation's territory (the rollup's `territory`), that
 * territory with no tag and with each of its tags.
 */
const keysOfCycle = (c = "") => `arrayConcat([('', '')], arrayMap(t -> (t, ''), ${c}tag_set),
  if(${c}territory = '', [], arrayConcat([('', ${c}territory)], arrayMap(t -> (t, ${c}territory), ${c}tag_set))))`;

/**
 * What a cycle puts in the buckets: at which instant, to which agent, which measures, when (`where`), and for an item
 * of an array (`items`: the array and the name of its item) one per item. Each rollup row's contributions: its resolve
 * (to the assignee then), its first response (to who wrote it), a reopen's previous resolve (to who resolved it), its
 * answered runs (by start, to who answered) and its ended stints (by end, to their agent).
 */
type Contribution = {
  instant: string; agent: string; measures: (b: BucketsTest) => Record<string, string>; where: string; items?: [array: string, item: string]; prune: (b: BucketsTest) => string;
};
/**
 * A stint a transfer ended: one of the cycle's transfers (`transfers`, migration 0006) has its source agent and instant.
 * Its assignee changes at that instant (`ownership.ts` in the router assigns or unassigns in the transfer's command), so
 * the stint's end is the transfer's. A redelivered transfer is one member of the set.
 */
const endedByTransfer = (b: BucketsTest) => `(transfer_n > 0 AND (tenant_id, conversation_id, cycle, s.1, s.3) IN (
    SELECT tenant_id, conversation_id, cycle, toUUIDOrZero(from_agent_id), toUnixTimestamp64Milli(occurred_at) FROM transfers WHERE ${b.pruneTransfers}))`;
const CONTRIBUTIONS: Contribution[] = [
  { instant: "resolved_ms_", agent: "resolve_agent", where: "resolved_ms_ != 0", prune: (b) => b.prune("resolved_ms_"), measures: () => ({
    resolved: `toUInt32(${hasAgent})`, resolution_s: `if(${hasAgent}, (resolved_ms_ - started_ms_) / 1000, 0)`, csat_n: "toUInt32(csat > 0)",
    csat_sum: "toUInt64(csat)", won: "toUInt32(result = 'won')", revenue: "if(result = 'won', map(cur, deal), CAST(map(), 'Map(String, Float64)'))",
  }) },
  { instant: "started_ms_", agent: "exact_frt_agent", where: "exact_frt IS NOT NULL", prune: (b) => b.prune("started_ms_"),
    measures: () => ({ frt_n: "1", frt_sum: "assumeNotNull(exact_frt)", frt_values: "[assumeNotNull(exact_frt)]" }) },
  { instant: "previous_resolved_ms_", agent: "prev_resolver", where: "is_reopen = 1", prune: (b) => b.prune(REOPEN_OF), measures: () => ({ reopened: "1" }) },
  { instant: "r.3", agent: "r.2", where: "1", items: ["responses", "r"], prune: (b) => b.pruneItems, measures: () => ({ response_n: "1", response_ms: "r.1" }) },
  { instant: "s.3", agent: "s.1", where: "s.3 != -1", items: ["stints", "s"], prune: (b) => b.pruneItems, measures: (b) => ({
    stint_n: "1", stint_ms: "s.3 - s.2", xfer_n: `toUInt32(${endedByTransfer(b)})`, xfer_ms: "if(xfer_n = 1, s.3 - s.2, 0)",
  }) },
];

/**
 * The transfers of the compacted cycles (migration 0024), at their instant: one out to the source agent, one in to the
 * target (none for a queue), under their cycle's channel and team, as the agent board counts those of a filtered view.
 * A transfer's instant is its cycle's (`ownership.ts` in the router assigns or unassigns in the transfer's command), so
 * the hours a rewritten cycle's facts touch hold them. One row per transfer id (a redelivery is one).
 */
const transferMoves = (b: BucketsTest) => `(SELECT c.tenant_id AS tenant_id, toUnixTimestamp64Milli(t.occurred_at) AS at_ms, c.channel AS channel, c.team AS team, k, m.1 AS agent,
      m.2 AS xfer_out_n, m.3 AS xfer_in_n
    FROM (SELECT tenant_id, conversation_id, cycle, channel, team, tag_set, territory FROM cycle_rollup FINAL
      WHERE transfer_n > 0 AND ${b.pruneTransferCycles} AND (tenant_id, conversation_id, cycle) IN (SELECT tenant_id, conversation_id, cycle FROM transfers WHERE ${b.pruneTransfers})) AS c
    INNER JOIN (SELECT tenant_id, conversation_id, cycle, occurred_at, from_agent_id, to_agent_id FROM transfers WHERE ${b.pruneTransfers} LIMIT 1 BY id) AS t
      ON c.tenant_id = t.tenant_id AND c.conversation_id = t.conversation_id AND c.cycle = t.cycle
    ARRAY JOIN arrayConcat(if(t.from_agent_id = '', [], [(toUUIDOrZero(t.from_agent_id), toUInt32(1), toUInt32(0))]),
      if(t.to_agent_id = '', [], [(toUUIDOrZero(t.to_agent_id), toUInt32(0), toUInt32(1))])) AS m
    ARRAY JOIN ${keysOfCycle("c.")} AS k)`;

/** Each compacted cycle's contributions in their instants' buckets, under each of its keys, and its transfers'. */
function contributions(g: Grain, buckets: BucketsTest): string {
  const ofCycles = CONTRIBUTIONS.map((c) => rows(g.of(c.instant), c.agent, c.measures(buckets),
    `cycle_rollup FINAL${c.items ? ` ARRAY JOIN ${c.items[0]} AS ${c.items[1]}` : ""} ARRAY JOIN ${keysOfCycle()} AS k`,
    `${c.where} AND ${buckets.test(g.of(c.instant))} AND ${c.prune(buckets)}`, "k"));
  const ofTransfers = rows(g.of("at_ms"), "agent", { xfer_out_n: "xfer_out_n", xfer_in_n: "xfer_in_n" }, transferMoves(buckets), buckets.test(g.of("at_ms")), "k");
  return [...ofCycles, ofTransfers].join("\n  UNION ALL\n  ");
}

/**
 * One contribution with every measure (none where its kind has none), as `contributions.ts` writes it: an instant, its
 * bucket's keys, the measures that add up, and a won deal's currency and value for `revenue`. The frt values are its
 * one `frt_sum`. Its territory is always '': a territory's view never adds the hot cycles' change (`sumsWindow`).
 */
export const CONTRIBUTION_ENTRY = [
  "instant Int64", "agent UUID", "channel UUID", "team UUID", "tag String", "territory String",
  ...MEASURES.filter(([name]) => name !== "revenue" && name !== "frt_values").map(([name, , , type]) => `${name} ${type}`),
  "cur String", "deal Float64",
].join(", ");
/** A day's rows: its hours' (every measure adds up), written first. */
const hoursOfDays = (days: BucketsTest) => rows("toStartOfDay(at)", "agent", Object.fromEntries(MEASURES.map(([name]) => [name, name])),
  `${TABLE} FINAL`, `grain = 'hour' AND ${days.test("toStartOfDay(at)")}`);

async function writeBuckets(client: ClickHouseClient, g: Grain, buckets: BucketsTest, params: Record<string, unknown>): Promise<void> {
  // Zeros for every key the buckets have now: a key a rewritten one no longer has (a cycle moved to another team) reads 0.
  const zeros = rows("at", "agent", {}, `${TABLE} FINAL`, `grain = '${g.grain}' AND ${buckets.test("at")}`);
  const sums = g.grain === "day" ? hoursOfDays(buckets) : contributions(g, buckets);
  await client.command({
    query: `INSERT INTO ${TABLE} (tenant_id, grain, at, agent, channel, team, tag, territory, ${MEASURES.map(([name]) => name).join(", ")}, version)
      SELECT tenant_id, '${g.grain}', bucket, agent, channel, team, key_tag, key_territory, ${MEASURES.map(([name, , sum]) => `${sum}(${name})`).join(", ")}, {version:Int64}
      FROM (${sums}
        UNION ALL
        ${zeros})
      GROUP BY tenant_id, bucket, agent, channel, team, key_tag, key_territory`,
    query_params: params,
  });
}

const EVERY_BUCKET: BucketsTest = { test: () => "1", prune: () => "1", pruneItems: "1", pruneTransfers: "1", pruneTransferCycles: "1" };

/** Every day and hour from the rollup, then the build's row: from then on queries read them (`agentSumsWindow`). */
async function buildEveryBucket(client: ClickHouseClient, version: number): Promise<number> {
  for (const g of [HOURS, DAYS]) await writeBuckets(client, g, EVERY_BUCKET, { version });
  const [row] = await (await client.query({ query: `SELECT uniqExact(tenant_id, at) AS n FROM ${TABLE} WHERE grain = 'day'`, format: "JSONEachRow" })).json<{ n: string }>();
  await client.insert({ table: "agent_time_sums_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), days: Number(row?.n ?? 0) }] });
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

/** The touched buckets written again, in time order, a few at a time (`inWrites`: their pairs are a parameter). */
async function writeTouched(client: ClickHouseClient, g: Grain, touched: Array<[string, string]>, version: number): Promise<void> {
  const inOrder = [...touched].sort(([ta, a], [tb, b]) => (a === b ? ta.localeCompare(tb) : a.localeCompare(b)));
  for (const some of inWrites(inOrder)) await writeTouchedRun(client, g, some, version);
}

/** Some touched buckets written again; the bounds let the rollup's sort key and indexes skip the granules outside them. */
async function writeTouchedRun(client: ClickHouseClient, g: Grain, touched: Array<[string, string]>, version: number): Promise<void> {
  const times = touched.map(([, bucket]) => msOfChTime(bucket));
  const bounds = { lo: times.reduce((x, y) => Math.min(x, y)), hi: times.reduce((x, y) => Math.max(x, y)) + g.ms };
  const test: BucketsTest = {
    test: (bucket) => `(tenant_id, ${bucket}) IN {buckets:Array(Tuple(UUID, DateTime('UTC')))}`,
    prune: (ms) => `${ms} >= {lo:Int64} AND ${ms} < {hi:Int64}`,
    pruneItems: "item_span.1 < {hi:Int64} AND item_span.2 >= {lo:Int64}",
    pruneTransfers: "toUnixTimestamp64Milli(occurred_at) >= {lo:Int64} AND toUnixTimestamp64Milli(occurred_at) < {hi:Int64}",
    pruneTransferCycles: aliveNear("{lo:Int64}", "{hi:Int64}").where,
  };
  await writeBuckets(client, g, test, { version, buckets: touched.map((pair) => new TupleParam(pair)), ...bounds });
}

/** Whether every bucket was written once (`agent_time_sums_builds`): until then there is nothing to write one over. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const result = await client.query({ query: "SELECT count() AS n FROM agent_time_sums_builds", format: "JSONEachRow" });
  const [row] = await result.json<{ n: string | number }>();
  return Number(row?.n ?? 0) > 0;
}

/**
 * After a compaction run wrote the rollup, before it is recorded: every day and hour on the first run (or the first
 * since migration 0018), else the hours, and their days, of the cycles it rewrote (`cycles`: its dirty test on
 * `cycle_facts_v2`). Until the run is recorded those cycles are hot, and queries read their hours from the cycles
 * (`RollupState.hotFloorMs`). Returns how many (tenant, day) pairs were written.
 */
export async function compactAgentTimeSums(client: ClickHouseClient, cycles: string, params: Record<string, unknown>, version: number): Promise<number> {
  if (!(await built(client))) return buildEveryBucket(client, version);
  const hours = await touchedHours(client, cycles, params);
  if (hours.length === 0) return 0;
  const days = [...new Map(hours.map(([tenant, hour]) => [`${tenant} ${hour.slice(0, 10)}`, [tenant, `${hour.slice(0, 10)} 00:00:00`] as [string, string]])).values()];
  await writeTouched(client, HOURS, hours, version);
  await writeTouched(client, DAYS, days, version);
  return days.length;
}
