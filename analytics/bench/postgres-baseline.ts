import type { Sql } from "postgres";
import type { BenchRow } from "./generate.js";
import { BUSINESS_HOURS_HORIZON_DAYS, openWindows, type TeamSchedule } from "../src/index.js";

/**
 * The baseline: the same metrics as Postgres aggregate queries over the same events (a plain table with the
 * indexes a team would add), so the ratio says what ClickHouse and its views buy. Duplicates cannot occur
 * here (primary key on id), which spares Postgres the dedupe ClickHouse pays for.
 */
export async function createBaselineTable(sql: Sql): Promise<void> {
  await sql.unsafe(`DROP TABLE IF EXISTS bench_events`);
  await sql.unsafe(`CREATE TABLE bench_events (id uuid PRIMARY KEY, tenant_id uuid NOT NULL, type text NOT NULL, occurred_at timestamptz NOT NULL,
    conversation_id uuid, channel_id uuid, contact_id uuid, agent_id uuid, team_id uuid, payload jsonb NOT NULL)`);
}

export async function loadBaseline(sql: Sql, rows: BenchRow[]): Promise<void> {
  const stream = await sql`COPY bench_events (id, tenant_id, type, occurred_at, conversation_id, channel_id, contact_id, agent_id, team_id, payload) FROM STDIN`.writable();
  const esc = (s: string) => s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n");
  const nil = (u: string) => (u === "00000000-0000-0000-0000-000000000000" ? "\\N" : u);
  const text = rows.map((r) => [r.id, r.tenant_id, r.type, r.occurred_at, nil(r.conversation_id), nil(r.channel_id), nil(r.contact_id), nil(r.agent_id), nil(r.team_id), esc(r.payload)].join("\t")).join("\n") + "\n";
  await new Promise<void>((resolve, reject) => { stream.write(text, (e) => (e ? reject(e) : resolve())); });
  await new Promise<void>((resolve, reject) => { stream.end((e?: Error | null) => (e ? reject(e) : resolve())); });
}

export async function indexBaseline(sql: Sql): Promise<void> {
  await sql.unsafe(`CREATE INDEX ON bench_events (tenant_id, type, occurred_at)`);
  await sql.unsafe(`CREATE INDEX ON bench_events (tenant_id, conversation_id)`);
  await sql.unsafe(`ANALYZE bench_events`);
}

/**
 * The teams' open windows, from the same `openWindows` as ClickHouse's lookup (the range and its horizon past it), with
 * the open ms before each: the "_bh" panels' business time as Postgres would look it up.
 */
export async function loadBaselineWindows(sql: Sql, schedules: TeamSchedule[], from: Date, to: Date): Promise<void> {
  await sql.unsafe(`DROP TABLE IF EXISTS bench_windows`);
  await sql.unsafe(`CREATE TABLE bench_windows (team text NOT NULL, s timestamptz NOT NULL, e timestamptz NOT NULL, before_ms bigint NOT NULL)`);
  const until = new Date(to.getTime() + BUSINESS_HOURS_HORIZON_DAYS * 86_400_000);
  const rows = schedules.filter((t) => t.businessHours !== null).flatMap((schedule) => {
    const w = openWindows(schedule, from, until);
    return w.starts.map((start, i) => ({ team: schedule.teamId, s: new Date(start), e: new Date(w.ends[i]!), before_ms: w.openBefore[i]! }));
  });
  if (rows.length > 0) await sql`INSERT INTO bench_windows ${sql(rows)}`;
  await sql.unsafe(`CREATE INDEX ON bench_windows (team, s)`);
}

/** Per-cycle facts, the same definitions as ClickHouse's `cycle_facts_v2` re-aggregation ($1 tenant). */
const cycles = `cyc AS (
  SELECT conversation_id, (payload->>'cycle')::int AS cycle, min(team_id::text) AS team,
    min(occurred_at) FILTER (WHERE type IN ('conversation.opened', 'conversation.reopened')) AS start_at,
    bool_or(type = 'conversation.reopened') AS is_reopen,
    bool_or(type = 'conversation.opened' AND (payload->>'is_lead')::boolean) AS lead,
    bool_or(type = 'conversation.opened' AND (payload->>'is_new_contact')::boolean) AS new_contact,
    min(occurred_at) FILTER (WHERE type = 'message.received') AS first_customer,
    min(occurred_at) FILTER (WHERE type = 'conversation.assigned') AS first_assign,
    max(occurred_at) FILTER (WHERE type = 'conversation.resolved') AS resolve_at,
    max(payload->>'outcome') FILTER (WHERE type = 'conversation.resolved') AS result,
    max(payload->>'resolved_by') FILTER (WHERE type = 'conversation.resolved') AS resolved_via,
    max(payload->>'assignee_agent_id') FILTER (WHERE type = 'conversation.resolved') AS resolve_agent,
    max((payload->>'deal_value')::numeric) FILTER (WHERE type = 'conversation.resolved') AS deal,
    max(payload->>'currency') FILTER (WHERE type = 'conversation.resolved') AS cur,
    max(payload->>'loss_reason') FILTER (WHERE type = 'conversation.resolved') AS loss,
    max((payload->>'score')::int) FILTER (WHERE type = 'csat.submitted') AS csat,
    bool_or(type = 'csat.requested') AS csat_asked,
    count(*) FILTER (WHERE type = 'conversation.transferred') AS transfer_n,
    count(*) FILTER (WHERE type = 'message.sent' AND payload->>'sender' = 'agent') AS agent_msgs,
    bool_or(type = 'conversation.tagged' AND payload->>'tag' = 'quoted') AS quoted
  FROM bench_events WHERE tenant_id = $1 AND conversation_id IS NOT NULL GROUP BY 1, 2)`;

/** Customer runs and the agent message answering each, from the message sequence of every cycle. */
const responses = `msg AS (
  SELECT conversation_id, (payload->>'cycle')::int AS cycle, occurred_at, agent_id, type = 'message.received' AS customer,
    lag(type = 'message.received') OVER (PARTITION BY conversation_id, (payload->>'cycle')::int ORDER BY occurred_at, id) AS prev_customer
  FROM bench_events WHERE tenant_id = $1 AND (type = 'message.received' OR (type = 'message.sent' AND payload->>'sender' = 'agent'))
), runs AS (
  SELECT conversation_id, cycle, occurred_at AS run_at, row_number() OVER (PARTITION BY conversation_id, cycle ORDER BY occurred_at) AS n FROM msg WHERE customer AND prev_customer IS NOT TRUE
), replies AS (
  SELECT conversation_id, cycle, occurred_at AS reply_at, agent_id, row_number() OVER (PARTITION BY conversation_id, cycle ORDER BY occurred_at) AS n FROM msg WHERE NOT customer AND prev_customer
), resp AS (
  SELECT r.conversation_id, r.cycle, r.n, extract(epoch FROM p.reply_at - r.run_at) AS s, p.agent_id, r.run_at, p.reply_at
  FROM runs r JOIN replies p USING (conversation_id, cycle, n)
)`;

/** Open ms of the first response's team before its column `at`: the last window started by then. */
const openBefore = (at: string) => `LEFT JOIN LATERAL (SELECT w.before_ms + extract(epoch FROM least(fr.${at}, w.e) - w.s) * 1000 AS ms FROM bench_windows w
    WHERE w.team = fr.team AND w.s <= fr.${at} ORDER BY w.s DESC LIMIT 1) ${at}_open ON true`;
/** First responses of the cycles started in the range in business seconds (teams with no windows: always open). */
const businessFirstResponses = `, fr AS MATERIALIZED (
  SELECT r.run_at, r.reply_at, r.s, c.team FROM resp r JOIN cyc c USING (conversation_id, cycle) WHERE r.n = 1 AND c.start_at >= $2::timestamptz AND c.start_at < $3::timestamptz
), bs AS (
  SELECT CASE WHEN scheduled.team IS NULL THEN fr.s ELSE (coalesce(reply_at_open.ms, 0) - coalesce(run_at_open.ms, 0)) / 1000 END AS bs
  FROM fr LEFT JOIN (SELECT DISTINCT team FROM bench_windows) scheduled ON scheduled.team = fr.team ${openBefore("reply_at")} ${openBefore("run_at")}
)`;

/** Each cycle's last status change up to `at` (a parameter): (conversation_id, cycle, status). */
export const lastStatus = (at: string) => `SELECT DISTINCT ON (conversation_id, (payload->>'cycle')::int) conversation_id, (payload->>'cycle')::int AS cycle, payload->>'to' AS status
  FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.status_changed' AND occurred_at <= ${at}
  ORDER BY conversation_id, (payload->>'cycle')::int, occurred_at DESC, id DESC`;
const inRange = (col: string) => `${col} >= $2::timestamptz AND ${col} < $3::timestamptz`;
const withCycles = (select: string) => `WITH ${cycles} ${select}`;
const withResponses = (select: string) => `WITH ${cycles}, ${responses} ${select}`;
/** Mean business-hours first response of the range ($1 tenant, $2 from, $3 to): the bench checks it against ClickHouse's. */
export const businessFrtAvg = withResponses(`${businessFirstResponses} SELECT avg(bs)::float AS v FROM bs`);

/** Each dashboard's query set ($1 tenant, $2 from, $3 to). */
export const baselineQueries: Record<string, string[]> = {
  live_operations: [
    // Open, pending and unassigned now: each live cycle's last status change, as the ClickHouse board reads it.
    withCycles(`, st AS (${lastStatus("$3")})
      SELECT count(*) FILTER (WHERE coalesce(st.status, 'open') = 'open'), count(*) FILTER (WHERE st.status = 'pending'), count(*) FILTER (WHERE first_assign IS NULL AND resolve_at IS NULL)
      FROM cyc LEFT JOIN st USING (conversation_id, cycle) WHERE start_at <= $3 AND (resolve_at IS NULL OR resolve_at > $3) AND $2::timestamptz IS NOT NULL`),
    `SELECT date_trunc('minute', occurred_at), type, count(*) FROM bench_events WHERE tenant_id = $1 AND type IN ('message.received', 'message.sent') AND occurred_at >= $3::timestamptz - interval '1 hour' AND occurred_at < $3 AND $2::timestamptz IS NOT NULL GROUP BY 1, 2`,
    withCycles(`SELECT avg(extract(epoch FROM first_assign - start_at)) FROM cyc WHERE first_assign >= $3::timestamptz - interval '1 hour' AND first_assign < $3 AND $2::timestamptz IS NOT NULL`),
  ],
  response_times: [
    withResponses(`SELECT avg(s) FILTER (WHERE n = 1), percentile_cont(0.5) WITHIN GROUP (ORDER BY s) FILTER (WHERE n = 1), percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FILTER (WHERE n = 1),
      avg(s), percentile_cont(0.5) WITHIN GROUP (ORDER BY s), percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FROM resp WHERE ${inRange("run_at")}`),
    withCycles(`SELECT avg(extract(epoch FROM first_assign - start_at)), percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM first_assign - start_at)), sum(transfer_n) FROM cyc WHERE ${inRange("start_at")}`),
    withResponses(`SELECT extract(hour FROM run_at AT TIME ZONE 'America/Mexico_City'), avg(s), count(*) FILTER (WHERE s <= 300)::float / count(*) FROM resp WHERE n = 1 AND ${inRange("run_at")} GROUP BY 1`),
    withResponses(`${businessFirstResponses} SELECT avg(bs), percentile_cont(0.9) WITHIN GROUP (ORDER BY bs) FROM bs`),
  ],
  agent_performance: [
    withResponses(`SELECT agent_id, avg(s) FILTER (WHERE n = 1), percentile_cont(0.9) WITHIN GROUP (ORDER BY s) FILTER (WHERE n = 1), avg(s) FROM resp WHERE ${inRange("run_at")} GROUP BY agent_id`),
    withCycles(`SELECT resolve_agent, count(*), count(*) FILTER (WHERE result = 'won'), avg(extract(epoch FROM resolve_at - start_at)), avg(csat), sum(deal) FILTER (WHERE result = 'won') FROM cyc WHERE ${inRange("resolve_at")} GROUP BY resolve_agent, cur`),
    `SELECT agent_id, type, count(*) FROM bench_events WHERE tenant_id = $1 AND type IN ('message.sent', 'note.added', 'conversation.transferred', 'conversation.assigned') AND ${inRange("occurred_at")} GROUP BY 1, 2`,
    `SELECT payload->>'to_agent_id', count(*) FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.transferred' AND ${inRange("occurred_at")} GROUP BY 1`,
  ],
  workload: [
    `SELECT payload->>'method', agent_id, date_trunc('day', occurred_at AT TIME ZONE 'America/Mexico_City'), count(*) FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.assigned' AND ${inRange("occurred_at")} GROUP BY 1, 2, 3`,
    // Online intervals from presence, chat stints from ownership events, and their overlap per agent.
    `WITH p AS (SELECT agent_id, occurred_at AS s, lead(occurred_at, 1, $3::timestamptz) OVER (PARTITION BY agent_id ORDER BY occurred_at, id) AS e, payload->>'to' = 'online' AS online
        FROM bench_events WHERE tenant_id = $1 AND type = 'agent.presence_changed' AND occurred_at < $3::timestamptz AND $2::timestamptz IS NOT NULL),
      o AS (SELECT agent_id, greatest(s, $2::timestamptz) AS s, e FROM p WHERE online AND e > $2::timestamptz),
      st AS (SELECT (payload->>'to_agent_id')::uuid AS agent_id, occurred_at AS s, coalesce(lead(occurred_at) OVER (PARTITION BY conversation_id, payload->>'cycle' ORDER BY occurred_at, id), $3::timestamptz) AS e
        FROM bench_events WHERE tenant_id = $1 AND type IN ('conversation.assigned', 'conversation.resolved'))
    SELECT agent_id, sum(online_s), sum(chat_s) FROM (
      SELECT agent_id, extract(epoch FROM e - s) AS online_s, 0 AS chat_s FROM o
      UNION ALL
      SELECT o.agent_id, 0, extract(epoch FROM least(o.e, st.e) - greatest(o.s, st.s)) FROM o JOIN st ON st.agent_id = o.agent_id AND st.s < o.e AND st.e > o.s
    ) x GROUP BY agent_id`,
  ],
  transfers: [
    `SELECT payload->>'from_agent_id', payload->>'to_agent_id', payload->>'reason', count(*) FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.transferred' AND ${inRange("occurred_at")} GROUP BY 1, 2, 3`,
    withCycles(`SELECT count(*) FILTER (WHERE transfer_n >= 2) FROM cyc WHERE ${inRange("start_at")}`),
  ],
  quality: [
    withCycles(`SELECT count(*), count(*) FILTER (WHERE agent_msgs = 0), avg(csat), count(*) FILTER (WHERE csat >= 4), count(*) FILTER (WHERE csat_asked) FROM cyc WHERE ${inRange("resolve_at")}`),
    withCycles(`SELECT csat, count(*) FROM cyc WHERE ${inRange("resolve_at")} GROUP BY csat`),
    `SELECT count(*), avg(extract(epoch FROM occurred_at - (payload->>'previous_resolved_at')::timestamptz)) FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.reopened' AND (payload->>'previous_resolved_at')::timestamptz >= $2 AND (payload->>'previous_resolved_at')::timestamptz < $3`,
  ],
  sales: [
    withCycles(`SELECT count(*) FILTER (WHERE lead), count(*) FILTER (WHERE lead AND quoted), count(*) FILTER (WHERE lead AND result = 'won') FROM cyc WHERE ${inRange("start_at")}`),
    withCycles(`SELECT cur, result, loss, count(*), sum(deal), avg(deal), avg(extract(epoch FROM resolve_at - start_at)) FROM cyc WHERE ${inRange("resolve_at")} AND result IN ('won', 'lost') GROUP BY 1, 2, 3`),
  ],
  teams_territories: [
    withResponses(`SELECT c.team, count(*), avg(r.s), count(*) FILTER (WHERE r.s <= 300)::float / nullif(count(r.s), 0) FROM cyc c LEFT JOIN resp r ON r.conversation_id = c.conversation_id AND r.cycle = c.cycle AND r.n = 1 WHERE ${inRange("c.start_at")} GROUP BY c.team`),
    withCycles(`SELECT team, avg(extract(epoch FROM resolve_at - start_at)), count(*) FILTER (WHERE result = 'won') FROM cyc WHERE ${inRange("resolve_at")} GROUP BY team`),
    withCycles(`SELECT t.terr, count(*) FILTER (WHERE ${inRange("c.start_at")}), count(*) FILTER (WHERE ${inRange("c.resolve_at")} AND c.result = 'won') FROM cyc c
      JOIN (SELECT conversation_id, payload->>'territory' AS terr FROM bench_events WHERE tenant_id = $1 AND type = 'conversation.opened') t USING (conversation_id) GROUP BY t.terr`),
  ],
  volume_automation: [
    `SELECT date_trunc('day', occurred_at AT TIME ZONE 'America/Mexico_City'), type, payload->>'sender', count(*) FROM bench_events WHERE tenant_id = $1 AND type IN ('message.received', 'message.sent') AND ${inRange("occurred_at")} GROUP BY 1, 2, 3`,
    withCycles(`SELECT count(*) FILTER (WHERE ${inRange("start_at")} AND NOT is_reopen), count(*) FILTER (WHERE ${inRange("start_at")} AND is_reopen), count(*) FILTER (WHERE ${inRange("resolve_at")}),
      count(*) FILTER (WHERE ${inRange("resolve_at")} AND resolved_via = 'bot'), count(*) FILTER (WHERE ${inRange("start_at")} AND new_contact) FROM cyc`),
    `SELECT extract(isodow FROM occurred_at AT TIME ZONE 'America/Mexico_City'), extract(hour FROM occurred_at AT TIME ZONE 'America/Mexico_City'), count(*) FROM bench_events WHERE tenant_id = $1 AND type = 'message.received' AND ${inRange("occurred_at")} GROUP BY 1, 2`,
  ],
};
