import { cycleAgentFilter, cycleKeys, resolvedInRange, startedInRange } from "../query/cycles.js";
import { overCycles } from "./define.js";

/**
 * Work several panels of one dashboard need, written once as a scalar subquery: ClickHouse computes an
 * identical scalar subquery once per statement, so in a dashboard's single statement these panels share one
 * read instead of one each (run alone, a panel pays for the whole shared part, still one read).
 */

/**
 * Counts over the cycles started in the range (agent filter applied): 1 new (not reopens), 2 reopens, 3 new
 * from new contacts, 4 new from returning contacts, 5 new out of hours. Dashboard 9.
 */
export const startedCounts = `(${overCycles(`SELECT (countIf(is_reopen = 0), countIf(is_reopen = 1), countIf(is_reopen = 0 AND new_contact = 1),
    countIf(is_reopen = 0 AND new_contact = 0), countIf(is_reopen = 0 AND ooh = 1))
  FROM cycles WHERE ${startedInRange} AND ${cycleAgentFilter}`, cycleKeys.started)})`;

/**
 * Counts over the cycles resolved in the range: 1 those passing the agent filter, 2 resolved by the bot with no
 * human assignment (no agent filter: the bot's), 3 all. Dashboard 9.
 */
export const resolvedCounts = `(${overCycles(`SELECT (countIf(${cycleAgentFilter}), countIf(resolved_via = 'bot' AND length(assignees) = 0), count())
  FROM cycles WHERE ${resolvedInRange}`, cycleKeys.resolved)})`;

/**
 * Inbound messages per hour and agent (the conversation's assignee when the customer wrote) under the team and
 * channel filters, as rows (hour, agent, n): the inbound series filters the agent, the heatmap and the peak hour
 * do not. Merged straight into (hour, agent): an event's id sits in one row key, so in one such group. Dashboard 9.
 */
export const inboundByHourAndAgent = `(SELECT t.1 AS hour, t.2 AS agent, t.3 AS n FROM (SELECT arrayJoin((SELECT groupArray((hour, agent_id, n)) FROM (
  SELECT hour, agent_id, uniqExactMerge(events) AS n FROM activity_hourly WHERE tenant_id = {tenant:UUID} AND type = 'message.received'
    AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id)) AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})
    GROUP BY hour, agent_id))) AS t))`;
