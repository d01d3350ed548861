import { bucketExpr, cycleAgentFilter, cycleKeys, resolvedInRange, startedInRange } from "../query/cycles.js";
import type { MetricQuery } from "../query/input.js";
import { hourlyCounts } from "../query/hourly.js";
import { overCycles } from "./define.js";
import { bucketRows, sumBy, type Pass } from "./pass.js";

/**
 * Passes (`pass.ts`) several panels of dashboard 9 share: each is read once per dashboard statement, and each panel
 * unpacks its rows from the pass's one row (run alone, a panel pays for the whole pass, still one read).
 */

/**
 * Counts over the cycles started in the range (agent filter applied): new (not reopens), reopens, new from new
 * contacts, new from returning contacts, new out of hours; and messages per cycle.
 */
export const startedPass: Pass = {
  id: "started cycles",
  sql: () => overCycles(`SELECT countIf(is_reopen = 0) AS new_n, countIf(is_reopen = 1) AS reopen_n, countIf(is_reopen = 0 AND new_contact = 1) AS new_contact_n,
    countIf(is_reopen = 0 AND new_contact = 0) AS returning_n, countIf(is_reopen = 0 AND ooh = 1) AS ooh_n, avgOrNull(msg_n + automated_n) AS msgs_avg
  FROM cycles WHERE ${startedInRange} AND ${cycleAgentFilter}`, cycleKeys.started),
};

/** Counts over the cycles resolved in the range: those passing the agent filter, by the bot with no human assignment (no agent filter: the bot's), all. */
export const resolvedPass: Pass = {
  id: "resolved cycles",
  sql: () => overCycles(`SELECT countIf(${cycleAgentFilter}) AS resolved_n, countIf(resolved_via = 'bot' AND length(assignees) = 0) AS bot_n, count() AS all_n
  FROM cycles WHERE ${resolvedInRange}`, cycleKeys.resolved),
};

/**
 * Inbound messages per hour and agent (the conversation's assignee when the customer wrote) under the team and
 * channel filters, as `groups` of (hour, agent, n): the inbound series filters the agent, the heatmap and the peak
 * hour do not. Merged straight into (hour, agent): an event's id sits in one row key, so in one such group.
 */
export const inboundPass: Pass = {
  id: "inbound",
  sql: () => `SELECT groupArray((hour, agent_id, n)) AS groups FROM (
  ${hourlyCounts(`tenant_id = {tenant:UUID} AND type = 'message.received'
    AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id)) AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})`, "hour, agent_id")})`,
};

/** The inbound series in the query's bucket, agent filter applied. */
export const inboundSeriesRows = (q: MetricQuery) => {
  const kept = "arrayFilter(g -> {f_agent:Nullable(UUID)} IS NULL OR g.2 = {f_agent:Nullable(UUID)}, groups)";
  return bucketRows(sumBy(`arrayMap(g -> ${bucketExpr("g.1", q.bucket ?? "day")}, ${kept})`, `arrayMap(g -> g.3, ${kept})`));
};

/** Inbound by (weekday 1 = Monday, hour) in the query's zone, as weekday * 100 + hour → n, codes sorted. */
export const inboundByWeekdayHour = sumBy(
  "arrayMap(g -> toUInt16(toDayOfWeek(toTimeZone(g.1, {tz:String}))) * 100 + toHour(toTimeZone(g.1, {tz:String})), groups)", "arrayMap(g -> g.3, groups)");
/** Inbound by hour of day in the query's zone → n, hours sorted. */
export const inboundByHour = sumBy("arrayMap(g -> toHour(toTimeZone(g.1, {tz:String})), groups)", "arrayMap(g -> g.3, groups)");
