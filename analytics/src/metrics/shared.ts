import { bucketExpr, cycleAgentFilter, cycleKeys, resolvedInRange, startedInRange } from "../query/cycles.js";
import type { MetricQuery } from "../query/input.js";
import { hourlyCounts } from "../query/hourly.js";
import { overCycles } from "./define.js";
import { AGENT_KEY, AGENT_ROWS, APART, ASSIGNED_AGENTS, bucketRows, keyed, sumsByKey, type Pass, type PassRow } from "./pass.js";
import type { RawRow } from "./run.js";

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
  sql: () => overCycles(`SELECT ${AGENT_KEY}countIf(is_reopen = 0) AS new_n, countIf(is_reopen = 1) AS reopen_n, countIf(is_reopen = 0 AND new_contact = 1) AS new_contact_n,
    countIf(is_reopen = 0 AND new_contact = 0) AS returning_n, countIf(is_reopen = 0 AND ooh = 1) AS ooh_n, avgOrNull(msg_n + automated_n) AS msgs_avg
  FROM cycles${AGENT_ROWS} WHERE ${startedInRange} AND ${cycleAgentFilter}${APART}`, cycleKeys.started),
  columns: ["new_n", "reopen_n", "new_contact_n", "returning_n", "ooh_n", "msgs_avg"],
  byAgent: { candidates: ASSIGNED_AGENTS },
};

/** Counts over the cycles resolved in the range: those passing the agent filter, by the bot with no human assignment (no agent filter: the bot's), all. */
export const resolvedPass: Pass = {
  id: "resolved cycles",
  sql: () => overCycles(`SELECT ${AGENT_KEY}countIf(${cycleAgentFilter}) AS resolved_n, countIf(resolved_via = 'bot' AND length(assignees) = 0) AS bot_n, count() AS all_n
  FROM cycles${AGENT_ROWS} WHERE ${resolvedInRange}${APART}`, cycleKeys.resolved),
  columns: ["resolved_n", "bot_n", "all_n"],
  byAgent: { candidates: ASSIGNED_AGENTS, blind: ["bot_n", "all_n"] },
};

/** Each group's bucket in the query's zone, next to a pass's `groups` (hour first): one lambda for all its series panels. */
export const groupBuckets = (q: MetricQuery) => `arrayMap(g -> ${bucketExpr("g.1", q.bucket ?? "day")}, groups) AS buckets`;

/**
 * Inbound messages per hour and agent (the conversation's assignee when the customer wrote) under the team and
 * channel filters, as `groups` of (hour, agent, n): the inbound series filters the agent (`agent_kept`), the heatmap
 * and the peak hour do not. Merged straight into (hour, agent): an event's id sits in one row key, so in one such
 * group. Each group's bucket and weekday-hour in the query's zone (`slots`: weekday 1 = Monday × 100 + hour) are
 * computed here, once; the panels add them up (`sumsByKey`).
 */
export const inboundPass: Pass = {
  id: "inbound",
  sql: (q) => `SELECT groups, ${groupBuckets(q)},
    arrayMap(g -> toUInt16(toDayOfWeek(toTimeZone(g.1, {tz:String}))) * 100 + toHour(toTimeZone(g.1, {tz:String})), groups) AS slots,
    arrayMap(g -> {f_agent:Nullable(UUID)} IS NULL OR g.2 = {f_agent:Nullable(UUID)}, groups) AS agent_kept
  FROM (SELECT groupArray((hour, agent_id, n)) AS groups FROM (
  ${hourlyCounts(`tenant_id = {tenant:UUID} AND type = 'message.received'
    AND hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}
    AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id)) AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})`, "hour, agent_id")}))`,
};
type InboundGroup = [hour: string, agent: string, n: number | string];
const countsOf = (row: PassRow) => (row.groups as InboundGroup[]).map((g) => g[2]);

/** The inbound series in the query's bucket, agent filter applied. */
export const inboundSeriesRows = (row: PassRow): RawRow[] =>
  bucketRows(sumsByKey(row.buckets as string[], countsOf(row), (i) => Number((row.agent_kept as unknown[])[i]) === 1));

/** Inbound by weekday (key, 1 = Monday) × hour (series) in the query's zone, in that order. */
export const inboundHeatmapRows = (row: PassRow): RawRow[] =>
  sumsByKey(row.slots as number[], countsOf(row)).map(([slot, value]) => ({ key: String(Math.floor(slot / 100)), series: String(slot % 100), value }));

/** The hour of day in the query's zone with most inbound messages (the earliest of a tie), and how many; none without any. */
export function inboundPeakHourRows(row: PassRow): RawRow[] {
  const byHour = sumsByKey((row.slots as number[]).map((slot) => slot % 100), countsOf(row));
  const peak = byHour.reduce<[number, number] | undefined>((best, e) => (best === undefined || e[1] > best[1] ? e : best), undefined);
  return peak === undefined ? [] : [keyed(String(peak[0]), peak[1])];
}
