import type { RollupState } from "../rollup/state.js";

/** The team and channel filters on a per-event table's `team_id`, `channel_id`. */
export const eventTeamChannelFilters = `(empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team_id))
  AND ({f_channel:Nullable(UUID)} IS NULL OR channel_id = {f_channel:Nullable(UUID)})`;
/** The agent, team and channel filters on a per-event table's `agent_id`, `team_id`, `channel_id` (the hourly ones, the extracts). */
export const eventFilters = `({f_agent:Nullable(UUID)} IS NULL OR agent_id = {f_agent:Nullable(UUID)})
  AND ${eventTeamChannelFilters}`;

/**
 * Exact event counts from the hourly buckets, per `groups` (columns of `activity_hourly`) of the rows passing
 * `where`: stored counts (`activity_counts`, migration 0009) for the hours the last compaction covers, the id sets
 * merged for the hot ones (touched since, or every hour before the first run). An hour is wholly on one side and an
 * event's id sits in one row key, so the two sides' sums add up exactly. Values stay parameters.
 */
export const hourlyCounts = (where: string, groups: string): string => `SELECT ${groups}, sum(n) AS n FROM (${hourlyRows(where, groups)}) GROUP BY ${groups}`;

/**
 * The rows `hourlyCounts` sums: (`groups`, n), several per group (a stored count per row key, or a hot hour's merged
 * sets per group). Each hour is on one side only, so any grouping of them sums to exact counts: a reader grouping
 * them more than one way (GROUPING SETS) reads them once.
 */
export function hourlyRows(where: string, groups: string): string {
  return `
  /*counts{*/SELECT ${groups}, n FROM activity_counts FINAL
    WHERE (${where}) AND {counts_ready:UInt8} = 1/*hothours{*/ AND NOT has({hot_hours:Array(DateTime('UTC'))}, hour)/*}hothours*/
  /*}counts*//*bothhours{*/UNION ALL/*}bothhours*/
  /*sets{*/SELECT ${groups}, uniqExactMerge(events) AS n FROM activity_hourly
    WHERE (${where}) AND ({counts_ready:UInt8} = 0 OR has({hot_hours:Array(DateTime('UTC'))}, hour)) GROUP BY ${groups}/*}sets*/
  /*hotcounts{*/SELECT ${groups}, n FROM format(TabSeparatedWithNamesAndTypes, {hot_counts:String}) WHERE (${where})/*}hotcounts*/
  `;
}

/**
 * `hourlyCounts` over the query's range (`where` names no hour): with `withDays` (`readsCountDays`), its whole UTC days
 * that hold no hot hour summed by day (`activity_counts_days`, migration 0022, ~1/24 of the rows), the other hours as
 * before. A day is wholly on one side, so the sums add up exactly.
 */
export function rangeCounts(where: string, groups: string, withDays: boolean): string {
  const hours = "hour >= toStartOfHour({from:DateTime64(3, 'UTC')}) AND hour < {to:DateTime64(3, 'UTC')}";
  if (!withDays) return hourlyCounts(`${where} AND ${hours}`, groups);
  const days = "day >= {count_days_from:DateTime('UTC')} AND day < {count_days_to:DateTime('UTC')} AND NOT has({hot_days:Array(DateTime('UTC'))}, day)";
  const otherHours = `(hour < {count_days_from:DateTime('UTC')} OR hour >= {count_days_to:DateTime('UTC')}
    OR has({hot_days:Array(DateTime('UTC'))}, toStartOfDay(hour)))`;
  return `SELECT ${groups}, sum(n) AS n FROM (
  SELECT ${groups}, n FROM activity_counts_days FINAL WHERE ${where} AND ${days}
  UNION ALL${hourlyRows(`${where} AND ${hours} AND ${otherHours}`, groups)}) GROUP BY ${groups}`;
}

const branch = (name: string) => new RegExp(`/\\*${name}\\{\\*/[\\s\\S]*?/\\*\\}${name}\\*/`, "g");

/**
 * `hourlyCounts` text for one state: a side with nothing to read is cut out (ClickHouse would still plan and scan it),
 * and the hot hours are read from the state's counts (`RollupState.hotCounts`) or their id sets, never both.
 */
export function shapeForHours(sql: string, rollup: RollupState): string {
  if (!rollup.countsReady) return sql.replace(branch("counts"), "").replace(branch("bothhours"), "").replace(branch("hotcounts"), "");
  if (rollup.hotHours.length === 0) {
    return sql.replace(branch("sets"), "").replace(branch("hotcounts"), "").replace(branch("bothhours"), "").replace(branch("hothours"), "");
  }
  return sql.replace(branch(rollup.hotCounts === undefined ? "hotcounts" : "sets"), "");
}
