import type { ClickHouseClient } from "@clickhouse/client";
import { aliveIn, NIL } from "../query/cycle-columns.js";
import { chTime, msOfChTime as msOf } from "../query/input.js";
import { countsTowardMax, HOUR_MS, hourMarkers, pointCtes, timelineColumns, type SweepBounds } from "../query/load-sweep.js";
import { inWrites, queryRows } from "./runs.js";

/**
 * `agent_load_hours` (migration 0019): the workload sweep per UTC hour and agent, for every team and each team (0023),
 * written by the compactor from presence and the rollup's stints. Each run, before it is recorded, writes per tenant
 * the hours from the earliest one something changed in up to its watermark's hour: the hours that ended since the last
 * run for every agent, and from an agent's earliest ownership change in a rewritten cycle, or his earliest presence
 * change that arrived since the last run, his hours before that too. One sweep over those hours, with a marker at each
 * hour's start, gives every hour's row.
 */

/** Over [lo, hi), the agents of `agents` (every agent when empty). */
const bounds: SweepBounds = {
  from: "{lo:DateTime64(3, 'UTC')}", to: "{hi:DateTime64(3, 'UTC')}", fromMs: "{lo_ms:Int64}", toMs: "{hi_ms:Int64}",
  agents: (column) => `(empty({agents:Array(UUID)}) OR has({agents:Array(UUID)}, ${column}))`,
};

/**
 * The compacted cycles alive in [lo, hi): the rollup as this run wrote it (hot cycles are not in the hours:
 * `RollupState.loadUntilMs`), under the board's test (`aliveIn`).
 */
const compactedCycles = `WITH cycles AS (
  SELECT team, stints FROM cycle_rollup FINAL
  WHERE tenant_id = {tenant:UUID} AND ${aliveIn("{lo_ms:Int64}", "{hi_ms:Int64}").where})`;

/**
 * Every hour of [lo, hi) of every agent the sweep sees (of `agents`, each from his own start on in `since_ms`; every
 * agent from `lo` when empty), for every team (`team` nil) and each team of the hours' cycles (migration 0023: that
 * team's chats, online time 0: it is the agent's). An hour all zeros (an agent offline without chats, or without chats
 * of a team) is left out unless some version of it holds something, so the hours after a tenant's last event do not
 * fill with them, and a change that empties an hour still writes it.
 */
const writeHours = `INSERT INTO agent_load_hours (tenant_id, hour, agent_id, team, online_ms, chat_ms, occupied_ms, max_active, version)
${compactedCycles},
${pointCtes(bounds, true, true)}
SELECT {tenant:UUID}, toDateTime(intDiv(ms, ${HOUR_MS}) * 3600, 'UTC') AS hour, agent, grp, if(grp = ${NIL}, sum(if(o = 1, d, 0)), 0) AS online,
    sum(if(o = 1, d * a, 0)) AS chat, sum(if(o = 1 AND a > 0, d, 0)) AS occupied, maxIf(a, ${countsTowardMax("k")}) AS most, {version:Int64}
  FROM (SELECT agent, grp, ${timelineColumns(bounds.toMs, hourMarkers(bounds.fromMs, bounds.toMs))} FROM points GROUP BY agent, grp)
  ARRAY JOIN pts AS k, online_now AS o, active AS a, dur AS d, arrayMap(k -> intDiv(k, 16), pts) AS ms
  WHERE ms < {hi_ms:Int64} AND ms >= if(empty({agents:Array(UUID)}), {lo_ms:Int64}, {since_ms:Array(Int64)}[indexOf({agents:Array(UUID)}, agent)])
  GROUP BY agent, grp, hour
  HAVING online != 0 OR chat != 0 OR most != 0 OR (agent, grp, hour) IN (
    SELECT agent_id, team, hour FROM agent_load_hours
    WHERE tenant_id = {tenant:UUID} AND hour >= {lo:DateTime64(3, 'UTC')} AND hour < {hi:DateTime64(3, 'UTC')} AND (online_ms != 0 OR chat_ms != 0 OR max_active != 0))`;

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

type Since = { tenant: string; agent: string; ms: string };

/**
 * Per (tenant, agent), the earliest instant his hours may have changed at since the last run: the earliest ownership
 * change of his in a rewritten cycle (`cycles`: the run's dirty test on `cycle_facts_v2`; every version of a cycle
 * draws its stints from those changes, which are only added) and his earliest presence change touched in the window.
 */
async function changedSince(client: ClickHouseClient, cycles: string, window: Record<string, unknown>): Promise<Since[]> {
  return queryRows<Since>(client, `SELECT toString(tenant_id) AS tenant, toString(agent_id) AS agent, toString(min(at_ms)) AS ms FROM (
      SELECT tenant_id, o.3 AS agent_id, o.1 AS at_ms FROM cycle_facts_v2 ARRAY JOIN finalizeAggregation(ownership) AS o WHERE ${cycles} AND o.3 != toUUIDOrZero('')
      UNION ALL
      SELECT tenant_id, agent_id, occurred_ms FROM presence_touches
      WHERE touched_at >= {since:DateTime64(3, 'UTC')} AND touched_at < {until:DateTime64(3, 'UTC')})
    GROUP BY tenant_id, agent_id`, window);
}

/** Tenants with agents: a presence or capacity change, or a compacted cycle. */
const tenantsSql = "SELECT DISTINCT toString(tenant_id) AS tenant FROM (SELECT tenant_id FROM agent_state_days UNION ALL SELECT DISTINCT tenant_id FROM cycle_rollup)";

/** Each tenant's earliest presence change or compacted start: where its first build starts. */
const firstInstantsSql = `SELECT toString(tenant_id) AS tenant, toString(min(ms)) AS ms FROM (
    SELECT tenant_id, min(latest.1) AS ms FROM agent_state_days WHERE type = 'agent.presence_changed' GROUP BY tenant_id
    UNION ALL SELECT tenant_id, min(started_ms_) FROM cycle_rollup GROUP BY tenant_id)
  GROUP BY tenant_id`;

/** One tenant's write: over [lo, hi), only `since`'s agents from their own hour when there are some, else every agent. */
type TenantHours = { tenant: string; lo: number; since: Since[] };

async function writeTenantHours(client: ClickHouseClient, t: TenantHours, hi: number, version: number): Promise<void> {
  if (t.lo >= hi) return;
  const agents = t.since.map((s) => s.agent);
  await client.command({
    query: writeHours,
    query_params: {
      tenant: t.tenant, lo: chTime(new Date(t.lo)), lo_ms: t.lo, hi: chTime(new Date(hi)), hi_ms: hi, version,
      agents, since_ms: t.since.map((s) => Math.max(t.lo, floorHour(Number(s.ms)))),
    },
  });
}

/** Whether every hour was written once (`agent_load_builds`): until then there is nothing to write one over. */
async function built(client: ClickHouseClient): Promise<boolean> {
  const [row] = await queryRows<{ n: string }>(client, "SELECT count() AS n FROM agent_load_builds");
  return Number(row?.n ?? 0) > 0;
}

/** Every tenant's hours from its first instant up to `hi`, then the build's row: from then on queries read them. */
async function buildEveryHour(client: ClickHouseClient, hi: number, version: number): Promise<number> {
  const firsts = await queryRows<{ tenant: string; ms: string }>(client, firstInstantsSql);
  for (const { tenant, ms } of firsts) {
    const lo = floorHour(Number(ms));
    await writeTenantHours(client, { tenant, lo, since: [] }, hi, version);
  }
  const hours = Math.max(0, ...firsts.map(({ ms }) => (hi - floorHour(Number(ms))) / HOUR_MS));
  await client.insert({ table: "agent_load_builds", format: "JSONEachRow", values: [{ built_at: chTime(new Date(version)), hours }] });
  return hours;
}

/**
 * After a compaction run wrote the rollup, before it is recorded (`compact.ts`): every hour on the first run (or the
 * first since migration 0019, or with no run recorded), else per tenant the hours that ended since the last run (`since`, its watermark) and
 * those of agents with changes before (`changedSince`), up to the hour of this run's watermark (`until`). Until the run
 * is recorded its cycles are hot and its presence changes late, and queries sweep from them on. Returns the hours the
 * widest tenant's write covered.
 */
export async function compactAgentLoad(client: ClickHouseClient, cycles: string, window: { since: string; until: string }, version: number, firstRun: boolean): Promise<number> {
  const hi = floorHour(msOf(window.until));
  // No run recorded yet (the first, or every one so far failed before recording): no hour is known written.
  if (firstRun || !(await built(client))) return buildEveryHour(client, hi, version);
  const written = floorHour(msOf(window.since));
  const since = await changedSince(client, cycles, window);
  const tenants = written < hi ? (await queryRows<{ tenant: string }>(client, tenantsSql)).map((r) => r.tenant) : [];
  let widest = 0;
  for (const tenant of new Set([...tenants, ...since.map((s) => s.tenant)])) {
    // The agents with changes from their earliest hour, then every agent over the hours that ended since the last run.
    const own = since.filter((s) => s.tenant === tenant && floorHour(Number(s.ms)) < written).sort((a, b) => Number(a.ms) - Number(b.ms));
    const lo = Math.min(written, ...own.map((s) => floorHour(Number(s.ms))));
    // Earliest first, a few agents a write (`inWrites`: their ids and hours are parameters), each from its own earliest.
    for (const some of inWrites(own)) {
      await writeTenantHours(client, { tenant, lo: Math.min(written, floorHour(Number(some[0]!.ms))), since: some }, hi, version);
    }
    await writeTenantHours(client, { tenant, lo: written, since: [] }, hi, version);
    widest = Math.max(widest, (hi - lo) / HOUR_MS);
  }
  return widest;
}
