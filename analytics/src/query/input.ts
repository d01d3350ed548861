import type { TeamSchedule } from "./business-hours.js";
import { hotConversations, NO_ROLLUP, type RollupState } from "../rollup/state.js";
import { deltaFits } from "../rollup/agent-delta.js";

export type Bucket = "hour" | "day" | "week";

/** Filters every metric accepts; a metric applies each one to what it counts (see `filterClauses`). */
export type MetricFilters = {
  channelId?: string;
  teamId?: string;
  /** The viewer's scope: only these teams count (a supervisor's teams). Absent: every team. */
  teamIds?: string[];
  agentId?: string;
  territory?: string;
  tag?: string;
};

/** What a metric is asked for. `from` is inclusive, `to` exclusive; "now" metrics read the state at `to`. */
export type MetricQuery = {
  tenantId: string;
  from: Date;
  to: Date;
  /** IANA zone for buckets and hour-of-day; the viewer's team zone by default (the caller resolves it). */
  timeZone: string;
  filters?: MetricFilters;
  bucket?: Bucket;
  /**
   * Each team's weekly schedule, zone and holidays, as the router's `/v1/teams` returns them. Events do not
   * carry schedules; a team missing here counts as always open in the "_bh" variants.
   */
  teamSchedules?: TeamSchedule[];
  /** First-response target (SLA), seconds. The router's team default is 300. */
  firstResponseTargetSeconds?: number;
  /** Compaction state (`readRollupState`); absent, every cycle is re-aggregated from its facts. */
  rollup?: RollupState;
  /**
   * The range ends at the present (a "today" or "last N days" view): nothing is stamped after `to` but what arrives
   * while the query runs, so the agent board reads `to`'s hour summed whole (`agentSums`) instead of its part before
   * `to` from the cycles. Absent for a range ending in the past (yesterday at this hour), read to the millisecond.
   */
  toIsNow?: boolean;
};

export type QueryParams = Record<string, unknown>;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An instant in ms from ClickHouse's UTC DateTime text ('YYYY-MM-DD hh:mm:ss[.sss]', as `toString` writes it). */
export const msOfChTime = (text: string) => Date.parse(`${text.replace(" ", "T")}Z`);

/** ClickHouse DateTime64(3, 'UTC') text for an instant; the client sends it as a typed parameter, never as SQL. */
export function chTime(at: Date): string {
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}.${pad(at.getUTCMilliseconds(), 3)}`;
}

export const DEFAULT_FIRST_RESPONSE_TARGET_SECONDS = 300;

/**
 * A team no cycle has: the scope's set when nothing is in it. Not the nil UUID, which a cycle routed to no team has (and
 * `agent_load_hours` for every team's hours).
 */
const NO_TEAM = "ffffffff-ffff-ffff-ffff-ffffffffffff";
/** `agent_load_hours`' rows of every team (migration 0023). */
const EVERY_TEAM = "00000000-0000-0000-0000-000000000000";

/** The teams a query counts: the chosen team within the scope; an empty scope matches nothing, not everything. */
function teamSet(f: MetricFilters): string[] {
  if (f.teamId) return !f.teamIds || f.teamIds.includes(f.teamId) ? [f.teamId] : [NO_TEAM];
  if (f.teamIds) return f.teamIds.length > 0 ? f.teamIds : [NO_TEAM];
  return [];
}

const [HOUR_MS, DAY_MS] = [3_600_000, 86_400_000];

/** The agent board's summed window (`agentSumsWindow`): whole UTC hours, and the whole UTC days among them, as [from, to) in ms. */
export type AgentSumsWindow = { sums_from_ms: number; sums_to_ms: number; days_from_ms: number; days_to_ms: number };

/**
 * What the agent board reads summed (migration 0018): the range's whole UTC hours, the whole UTC days among them by day
 * and the other hours by hour (`agent_time_sums`); the rest of the range from the cycles. With hot cycles, up to their
 * floor (`RollupState.hotFloorMs`), or all of them with what the hot cycles change there added (`agentDelta`) when that
 * adds up there (`deltaFits`); a territory's view (with a tag or not) never adds it. Empty (every bound the range
 * start) when it cannot (before the sums are built) or would cover under half the range.
 */
export function agentSums(q: MetricQuery): { window: AgentSumsWindow; delta: boolean } {
  const rollup = q.rollup ?? NO_ROLLUP;
  // A view of one territory (migration 0026): an opening can move its conversation's compacted cycles to another
  // territory, which no hot pair's change says, so its window also stops at the earliest fact of such a conversation
  // (`RollupState.hotConversationsFloorMs`; not read for the state: not summed while any cycle is hot), and never adds
  // the delta, which holds no territory.
  if (hasTerritoryFilter(q)) return sumsWindow(q, earliest(rollup.hotFloorMs, rollup.hotConversationsFloorMs), () => false);
  return sumsWindow(q, rollup.hotFloorMs, (from, to) => rollup.agentDelta !== undefined && deltaFits(rollup.agentDelta, from, to));
}

/** Whether the query filters by territory (null and undefined: no filter, as `f_territory` reads them). */
export const hasTerritoryFilter = (query: MetricQuery) => query.filters?.territory !== undefined && query.filters.territory !== null;
const earliest = (a: number | null, b: number | null | undefined) => (a === null ? b ?? null : Math.min(a, b ?? Infinity));

/**
 * What the transfers board reads summed of the transfer-ended stints (migration 0021): as `agentSums`, up to the floor
 * where a hot cycle may change them (`RollupState.hotTransferFloorMs`), never with the delta, which does not hold them.
 */
export function transferSumsWindow(q: MetricQuery): AgentSumsWindow {
  const rollup = q.rollup ?? NO_ROLLUP;
  return sumsWindow(q, earliest(rollup.hotTransferFloorMs, hasTerritoryFilter(q) ? rollup.hotConversationsFloorMs : null), () => false).window;
}

/** `agentSums`' window up to `floorMs`, or past it when the hot cycles' change to the sums adds up over the whole hours (`deltaFits`). */
function sumsWindow(q: MetricQuery, floorMs: number | null, fits: (fromMs: number, toMs: number) => boolean): { window: AgentSumsWindow; delta: boolean } {
  const from = q.from.getTime();
  const none = (at: number) => ({ days_from_ms: at, days_to_ms: at });
  const empty = { window: { sums_from_ms: from, sums_to_ms: from, ...none(from) }, delta: false };
  const rollup = q.rollup ?? NO_ROLLUP;
  const f = q.filters ?? {};
  // A tag or territory of '' is no cycle's (the cycles' test finds none), where the sums keep every one under it.
  if (!rollup.ready || !rollup.daysReady || f.tag === "" || f.territory === "") return empty;
  if (hasTerritoryFilter(q) && rollup.hot.length > 0 && rollup.hotConversationsFloorMs === undefined) return empty;
  const sumsFrom = Math.ceil(from / HOUR_MS) * HOUR_MS;
  // Up to the present, `to`'s hour holds nothing after `to`: its end is as good.
  const end = q.toIsNow ? Math.ceil(q.to.getTime() / HOUR_MS) * HOUR_MS : q.to.getTime();
  const wholeTo = Math.floor(end / HOUR_MS) * HOUR_MS;
  const delta = fits(sumsFrom, wholeTo);
  const sumsTo = delta ? wholeTo : Math.floor(Math.min(end, floorMs ?? Infinity) / HOUR_MS) * HOUR_MS;
  // Under half the range, reading the rest item by item from the cycles costs more than the sums save.
  if (sumsTo - sumsFrom < (q.to.getTime() - from) / 2) return empty;
  const [daysFrom, daysTo] = [Math.ceil(sumsFrom / DAY_MS) * DAY_MS, Math.floor(sumsTo / DAY_MS) * DAY_MS];
  const days = daysTo > daysFrom ? { days_from_ms: daysFrom, days_to_ms: daysTo } : none(sumsFrom);
  return { window: { sums_from_ms: sumsFrom, sums_to_ms: sumsTo, ...days }, delta };
}
export const agentSumsWindow = (q: MetricQuery): AgentSumsWindow => agentSums(q).window;

/**
 * Where the workload board's sweep starts (`load_from_ms`): after the range's whole UTC hours it reads summed from
 * `agent_load_hours` (migration 0019), up to the state's `loadUntilMs` (the hours written, before hot cycles and late
 * presence changes) and `to`'s hour. `load_team`: the rows it reads, every team's (nil) or one team's (0023: a view of
 * one team, a supervisor's of his). The range start (all swept) when it cannot: before the hours are written, a range
 * starting within an hour, and with a channel, territory or tag filter or several teams (not among their keys: an
 * hour's occupied time is not the sum of its teams').
 */
export function loadWindow(q: MetricQuery): { load_from_ms: number; load_from: string; load_team: string } {
  const from = q.from.getTime();
  const f = q.filters ?? {};
  const teams = teamSet(f);
  const at = (ms: number) => ({ load_from_ms: ms, load_from: chTime(new Date(ms)), load_team: teams.length === 1 ? teams[0]! : EVERY_TEAM });
  const until = (q.rollup ?? NO_ROLLUP).loadUntilMs;
  const filtered = [f.channelId, f.territory, f.tag].some((v) => (v ?? null) !== null) || teams.length > 1;
  if (until === null || filtered || from % HOUR_MS !== 0) return at(from);
  return at(Math.max(from, Math.floor(Math.min(until, q.to.getTime()) / HOUR_MS) * HOUR_MS));
}

/**
 * The range's whole UTC days (as [from, to) of `DateTime` text) among the hours the hourly counts read (from `from`'s
 * hour through the hour holding `to`), for `activity_counts_days` (migration 0022); none (both the same) when there are
 * none or the state cannot read them. `hot_days`: the days of the hot hours, which are read by hours.
 */
export function countDays(q: MetricQuery): { count_days_from: string; count_days_to: string; hot_days: string[] } {
  const rollup = q.rollup ?? NO_ROLLUP;
  const daysFrom = Math.ceil(Math.floor(q.from.getTime() / HOUR_MS) * HOUR_MS / DAY_MS) * DAY_MS;
  const daysTo = Math.max(daysFrom, Math.floor(Math.ceil(q.to.getTime() / HOUR_MS) * HOUR_MS / DAY_MS) * DAY_MS);
  const day = (ms: number) => `${new Date(ms).toISOString().slice(0, 10)} 00:00:00`;
  const hotDays = [...new Set(rollup.hotHours.map((hour) => `${hour.slice(0, 10)} 00:00:00`))];
  return { count_days_from: day(daysFrom), count_days_to: day(rollup.countDaysReady ? daysTo : daysFrom), hot_days: hotDays };
}
/** Whether the hourly counts' days answer for some of the range (`countDays`). */
export const readsCountDays = (q: MetricQuery) => { const d = countDays(q); return d.count_days_to > d.count_days_from; };

/** The parameters every metric query may use; unused ones are harmless. */
export function baseParams(q: MetricQuery): QueryParams {
  const f = q.filters ?? {};
  return {
    tenant: q.tenantId,
    from: chTime(q.from),
    to: chTime(q.to),
    from_ms: q.from.getTime(),
    to_ms: q.to.getTime(),
    tz: q.timeZone,
    frt_target: q.firstResponseTargetSeconds ?? DEFAULT_FIRST_RESPONSE_TARGET_SECONDS,
    f_channel: f.channelId ?? null,
    f_teams: teamSet(f),
    f_agent: f.agentId ?? null,
    f_territory: f.territory ?? null,
    f_tag: f.tag ?? null,
    rollup_ready: (q.rollup ?? NO_ROLLUP).ready ? 1 : 0,
    hot_conversations: hotConversations((q.rollup ?? NO_ROLLUP).hot),
    hot_rows: (q.rollup ?? NO_ROLLUP).hotRows ?? "",
    agent_delta: (q.rollup ?? NO_ROLLUP).agentDelta ?? "",
    counts_ready: (q.rollup ?? NO_ROLLUP).countsReady ? 1 : 0,
    hot_hours: (q.rollup ?? NO_ROLLUP).hotHours,
    hot_counts: (q.rollup ?? NO_ROLLUP).hotCounts ?? "",
    ...agentSumsWindow(q),
    ...Object.fromEntries(Object.entries(transferSumsWindow(q)).map(([name, ms]) => [`t_${name}`, ms])),
    ...loadWindow(q),
    ...countDays(q),
  };
}

/**
 * The most bytes a statement's parameter carries. A ClickHouse server reads the parameters of a large request as the
 * fields of a multipart form (`use_multipart_params_auto`) and refuses a field past `http_max_field_value_size` (128
 * KiB by default; a cloud service may not let us raise it): past this, the hot rows and counts and the agent sums'
 * change stay out of the parameters and the statement reads what they hold another way (slower, the same numbers).
 */
export const MAX_PARAM_BYTES = 120 * 1024;
/** A text parameter's bytes as the client sends it: tabs, newlines, quotes and backslashes escaped, two bytes each. */
export const paramBytes = (text: string): number => Buffer.byteLength(text) + (text.match(/[\t\n\r'\\]/g)?.length ?? 0);
export const fitsParam = (text: string): boolean => text.length * 3 <= MAX_PARAM_BYTES || paramBytes(text) <= MAX_PARAM_BYTES;

/** An array element's bytes as the client sends it: a number's digits, a text quoted and escaped, and its comma. */
const elementBytes = (x: unknown): number => (typeof x === "string" ? paramBytes(x) + 3 : String(x).length + 1);

const isFlatArray = (v: unknown): v is Array<string | number> => Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number");

/** `values` in runs whose brackets and elements fit a parameter each. */
function fittingRuns(values: Array<string | number>): Array<Array<string | number>> {
  const runs: Array<Array<string | number>> = [[]];
  let bytes = 2;
  for (const x of values) {
    const size = elementBytes(x);
    if (bytes + size > MAX_PARAM_BYTES && runs.at(-1)!.length > 0) runs.push([]), (bytes = 2);
    runs.at(-1)!.push(x);
    bytes += size;
  }
  return runs;
}

/**
 * The statement with each array parameter too large for one field (the business-hours windows of a year of a dozen
 * split-shift teams: ~14 bytes a window) sent as several, which its text joins back (`arrayConcat` of constants,
 * folded once per statement). Parameters stay values: nothing of them enters the text but their names.
 */
export function splitLargeArrays(sql: string, params: QueryParams): { sql: string; params: QueryParams } {
  let text = sql;
  const sent: QueryParams = { ...params };
  for (const [name, value] of Object.entries(params)) {
    if (!isFlatArray(value) || value.reduce((n: number, x) => n + elementBytes(x), 2) <= MAX_PARAM_BYTES) continue;
    const runs = fittingRuns(value);
    delete sent[name];
    runs.forEach((run, k) => (sent[`${name}__${k}`] = run));
    const placeholder = new RegExp(`\\{${name}:(Array\\([^{}]*\\))\\}`, "g");
    text = text.replace(placeholder, (_, type: string) => `arrayConcat(${runs.map((__, k) => `{${name}__${k}:${type}}`).join(", ")})`);
  }
  return { sql: text, params: sent };
}

/**
 * No JIT for the reads behind a board (its statement, the rollup state's). ClickHouse compiles an expression into
 * machine code in the statement that uses it for the third time (`min_count_to_compile_expression`), and every filter,
 * bucket and hot-or-settled shape of a board has its own expressions: that statement took 100–250 ms more (the quality
 * board 98 → 264 ms hot). Compiled, they saved 0–5% of a board's p50 over 9.7M events, within the VM's noise.
 */
export const NO_JIT = { compile_expressions: 0, compile_aggregate_expressions: 0 } as const;

/**
 * Settings of every metric statement. `join_use_nulls` 0: an unmatched join side reads as its type's default, as
 * the metrics compare it. `optimize_and_compare_chain` 0: that analyzer pass infers `a < c` from `a < b AND b < c`
 * over every AND of comparisons, and its cost grows with their count: with the hot cycles' re-aggregation in a
 * statement (the stored columns' lambdas under the metric's conditions) it took 64 of the response board's 92 ms of
 * analysis. The metrics' ranges are parameters and keys, nothing it could add would prune more.
 * `use_uncompressed_cache` 1: a board's reads come back poll after poll to the same blocks, kept decompressed (the
 * embedded engine's cache, `EMBEDDED_ENGINE_ARGS` in migrations; a server's `uncompressed_cache_size`, 0 unless set, in
 * production): the agent board 126 -> 102 ms p50 at 9.7M events. A read of more than ~1M rows bypasses it.
 */
export const STATEMENT_SETTINGS = { join_use_nulls: 0, optimize_and_compare_chain: 0, use_uncompressed_cache: 1, ...NO_JIT } as const;
