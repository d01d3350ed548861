import type { MetricQuery } from "../query/input.js";
import type { RawRow } from "./run.js";

/**
 * One read several panels of a board share. A pass is a statement returning one row; each panel built on it
 * gives its rows from that row's columns, in TypeScript (`PassPanel`); what needs ClickHouse (a bucket in the query's
 * zone) is a column of the row. A dashboard's single statement reads each pass once and unpacks every
 * panel on it from that one row (`one-statement.ts`): referencing a shared subquery from several branches instead had
 * ClickHouse analyse its whole tree once per branch (about 15 ms each at 9M events, more than the read).
 */
/**
 * `agentSums`: its statement may read `agent_time_sums`, so its state needs the hot floor; `agentLoad`: the same for
 * `agent_load_hours` and up to when they may be read (`RollupStateOptions`). `columns`: those of its row panels read,
 * for a pass whose aggregation ends in `APART` (`passSql`).
 */
export type Pass = { id: string; sql: (q: MetricQuery) => string; agentSums?: true; agentLoad?: true; columns?: readonly string[]; byAgent?: AgentGroups };

/**
 * How a report by agent reads a pass once for every agent (`dashboards/by-agent.ts`) instead of once per agent: each
 * cycle read once per agent among `{report_agents:Array(UUID)}` its agent filter may keep (`candidates`, an Array(UUID)
 * of the cycle's columns), the filter's parameter that agent, grouped by him. The pass marks where its select list
 * starts (`AGENT_KEY`) and where it reads the cycles (`AGENT_ROWS`, right after `FROM cycles`), and ends its
 * aggregation in `APART`. `blind`: columns no agent filter touches, which each agent's row takes from the total's. `text`:
 * what is grouped instead of the pass's own text (one level of its aggregation), with only `columns`.
 */
export type AgentGroups = { candidates: string; blind?: readonly string[]; text?: (q: MetricQuery) => string; columns?: readonly string[] } | AgentSplit;
/**
 * A pass whose row (its `columns`) holds every agent's part, as an agent's filter leaves it: read once, under no agent
 * filter, and each agent's row cut from that one in TypeScript (`split`).
 */
export type AgentSplit = { split: (total: PassRow, agent: string) => PassRow; columns: readonly string[] };
export const splitsByAgent = (groups: AgentGroups): groups is AgentSplit => "split" in groups;
export const AGENT_KEY = "/*agentkey*/";
export const AGENT_ROWS = "/*agentrows*/";
/**
 * The report's agents among `agents` (an Array(UUID) of the row's), tested one by one: `arrayIntersect` with them built
 * a hash set per cycle (a report of 200 agents, one metric: ~500 ms against 35–60 at 9.7M events, 30 days).
 */
export const reportAgentsIn = (agents: string) => `arrayFilter(a -> has({report_agents:Array(UUID)}, a), ${agents})`;
/** The agents of a cycle its `has(assignees, agent)` filter keeps: the common `candidates`. */
export const ASSIGNED_AGENTS = reportAgentsIn("assignees");

/** Where a pass with `columns` ends its aggregation: `GROUP BY ()` when read in part (`passSql`). */
export const APART = "/*apart*/";
/**
 * The pass's text for a statement reading `read` of its columns. With no GROUP BY, ClickHouse computes every aggregate
 * of a subquery, read or not; `GROUP BY ()` lets it drop those the statement does not read, so a panel run alone or a
 * report's cells pay for their columns, not the whole pass: the first response time average 95–104 -> 38–43 ms at 9.7M
 * events (30 days), where the response pass also computes business hours, percentiles and the runs' waits. Over no
 * cycles it still gives one row, with `apartSettings`. A board reads every column, and its statement is left as it
 * was: with `GROUP BY ()` the response and quality statements timed the same alone, the boards 3–10% slower in two A/B
 * runs (noise on this VM is of that size), and nothing is dropped there.
 */
export function passSql(pass: Pass, q: MetricQuery, read: Iterable<string>): string {
  const wanted = new Set(read);
  const whole = pass.columns === undefined || pass.columns.every((column) => wanted.has(column));
  return pass.sql(q).replace(APART, whole ? "" : ` ${GROUP_BY_NOTHING}`);
}
const GROUP_BY_NOTHING = "GROUP BY ()";
/**
 * The settings a statement adds when a pass in it is read in part: `GROUP BY ()` over no rows gives one (counts 0,
 * averages NULL), as an aggregation with no GROUP BY does.
 */
export const apartSettings = (sql: string) => (sql.includes(GROUP_BY_NOTHING) ? { empty_result_for_aggregation_by_constant_keys_on_empty_set: 0 as const } : {});
/** Whether any of these panels reads `agent_time_sums`. */
export const readsAgentSums = (panels: Array<{ fromPass?: PassPanel }>) => panels.some((m) => m.fromPass?.pass.agentSums === true);
/** Whether any of these panels reads `agent_load_hours`. */
export const readsAgentLoad = (panels: Array<{ fromPass?: PassPanel }>) => panels.some((m) => m.fromPass?.pass.agentLoad === true);
/**
 * The pass's row as ClickHouse writes it in JSON (`formatRowNoNewline`): numbers (64-bit ones too), null for NULL and
 * NaN, named tuples and maps as objects, other tuples as arrays.
 */
export type PassRow = Record<string, unknown>;
/** A panel whose rows are unpacked here from `columns` of the pass's row: see `PassPanel`. */
export type RowsFromPass = (row: PassRow) => RawRow[];
/**
 * A panel computed in TypeScript from the pass's row (its `columns` only, sent once for all such panels of the pass):
 * ClickHouse analysed each panel's lambdas over that row again in every statement, 1–2 ms apiece (15 ms of the agent
 * board's plan for its thirteen), for arrays of at most a few hundred elements.
 */
export type PassPanel = { pass: Pass; columns: string[]; unpack: RowsFromPass; also?: PassColumns[] };
/**
 * Columns of another pass a TypeScript panel reads too (`unpack` gets one row with both's columns): a value another
 * pass of the board reads anyway, instead of a scalar subquery ClickHouse runs before the statement starts.
 */
export type PassColumns = { pass: Pass; columns: string[] };
/** The pass row's `columns` as one JSON object text. */
export const passRowJson = (columns: string[]) => `formatRowNoNewline('JSONEachRow', ${columns.join(", ")})`;

/** A scalar panel's row: the pass row's `column` as it is (NULL, and NaN, as null). */
export const columnValue = (column: string): Pick<PassPanel, "columns" | "unpack"> =>
  ({ columns: [column], unpack: (row) => [{ value: row[column] === null || row[column] === undefined ? null : Number(row[column]) }] });

/** A breakdown panel's rows: the pass row's `column`, a map the pass wrote as an object, sorted by key (`mapRows`). */
export const mapColumn = (column: string): Pick<PassPanel, "columns" | "unpack"> => ({ columns: [column], unpack: (row) => mapRows(row[column]) });

/** part / whole, or null when the whole is 0 (or NULL): the ratio panels' `if(whole = 0, NULL, part / whole)`. */
export const share = (part: unknown, whole: unknown): number | null => (Number(whole ?? 0) === 0 ? null : Number(part ?? 0) / Number(whole));
/** Rows by count, largest first, then by key: the order of the "by reason" and "by detail" panels. */
export const byCountThenKey = (a: RawRow, b: RawRow) => Number(b.value) - Number(a.value) || byText(a.key!, b.key!);

/** A breakdown row. */
export const keyed = (key: string, value: number | null): RawRow => ({ key, value });
/** Agents (or any text key) in ClickHouse's order for strings: by bytes, which for these ASCII keys is JS's `<`. */
export const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** A Map(String, number) the pass wrote as an object, as (key, value) rows sorted by key. */
export const mapRows = (map: unknown): RawRow[] =>
  Object.entries((map ?? {}) as Record<string, number>).sort(([a], [b]) => byText(a, b)).map(([key, value]) => keyed(key, Number(value)));

/**
 * Sums of `n[i]` by `key[i]` over the items `keep` passes, as [key, sum] in key order: text keys as ClickHouse orders
 * strings (bytes), numeric ones by value. Hourly passes send each group's key computed in ClickHouse (a bucket or a
 * weekday-hour in the query's zone, one lambda over the groups) and their panels add them up here: each panel's
 * `sumMap` over lambdas in SQL was planned again per panel (the volume board had eight).
 */
export function sumsByKey<K extends string | number>(keys: K[], n: unknown[], keep: (i: number) => boolean = () => true): Array<[K, number]> {
  const sums = new Map<K, number>();
  keys.forEach((key, i) => { if (keep(i)) sums.set(key, (sums.get(key) ?? 0) + Number(n[i])); });
  return [...sums].sort(([a], [b]) => (typeof a === "number" ? (a as number) - (b as number) : byText(a as string, b as string)));
}
/** Series rows, (bucket, sum) in bucket order (zone-local text: chronological). */
export const bucketRows = (sums: Array<[string, number]>): RawRow[] => sums.map(([bucket, value]) => ({ bucket, value }));

/** The statement a pass panel runs alone: the pass's row (`run.ts` parses it and unpacks the panel's rows). */
export const passPanelSql = (panel: PassPanel, q: MetricQuery) =>
  `SELECT ${passRowJson([panel, ...(panel.also ?? [])].flatMap((p) => p.columns))} AS json
  FROM ${[panel, ...(panel.also ?? [])].map((p, i) => `(${passSql(p.pass, q, p.columns)}) AS pass_${i}`).join(" CROSS JOIN ")}`;
