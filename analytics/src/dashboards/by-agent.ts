import type { ClickHouseClient } from "@clickhouse/client";
import { hasTerritoryFilter, STATEMENT_SETTINGS, type MetricQuery, type QueryParams } from "../query/input.js";
import { metricParams, toMetricResult, type MetricResult } from "../metrics/run.js";
import { getMetric } from "../metrics/registry.js";
import type { MetricDefinition } from "../metrics/define.js";
import { fittedStatement, shapeForRollup } from "../query/cycles.js";
import { AGENT_KEY, AGENT_ROWS, APART, apartSettings, passRowJson, passSql, splitsByAgent, type Pass, type PassRow } from "../metrics/pass.js";
import { NO_ROLLUP } from "../rollup/state.js";
import { NIL_UUID } from "../rollup/contributions.js";
import { mergedParams, passReads, type PassRead } from "./one-statement.js";
import { runMetricsFor, stateFor } from "./run.js";

/**
 * A report by agent: the same metrics for each of `agents` (the query with his agent filter) and the total (the query
 * as given), what `runMetricsFor` gives for those queries, with the panels of passes that group by agent
 * (`Pass.byAgent`) read once for every agent instead of once per agent. A report of 200 agents ran 200 statements, each
 * reading the whole range's cycles for one agent's.
 */

/** The total's group: every cycle once more, under no agent filter (`nullIf` makes its agent NULL). */
const NIL = NIL_UUID;
/** An agent no cycle has: the row of an agent the grouped read found nothing for (counts 0, averages null). */
const NO_AGENT = "ffffffff-ffff-ffff-ffff-ffffffffffff";

const withAgent = (q: MetricQuery, agentId: string | undefined): MetricQuery => ({ ...q, filters: { ...q.filters, agentId } });
/** The passes a panel reads (its own and its `also`), with the columns it reads of each. */
const passesOf = (m: MetricDefinition) => (m.fromPass ? [m.fromPass, ...(m.fromPass.also ?? [])] : []);
/** Read from the agents' groups: a panel whose every pass groups by agent, with the columns it reads. */
const grouped = (m: MetricDefinition) => passesOf(m).length > 0 && passesOf(m).every(({ pass, columns }) =>
  pass.byAgent !== undefined && columns.every((column) => pass.byAgent!.columns?.includes(column) ?? true));
/** Whether a report by agent reads the metric once for every agent (else a statement per agent). */
export const groupsByAgent = (id: string) => grouped(getMetric(id));

/**
 * The pass read for every agent of `{report_agents}` and the total (agent NIL), a row each: see `AgentGroups`. A pass
 * that splits its row by agent gives the total's alone.
 */
function byAgentText(read: PassRead, q: MetricQuery): string {
  const { pass } = read;
  const groups = pass.byAgent!;
  if (splitsByAgent(groups)) return oneRowText(NIL)(read, q);
  const text = groups.text?.(q) ?? pass.sql(q);
  for (const mark of [AGENT_KEY, AGENT_ROWS, APART]) {
    if (text.split(mark).length !== 2) throw new Error(`pass ${pass.id} cannot group by agent: ${mark} must appear once`);
  }
  const nil = `toUUID('${NIL}')`;
  return text.replace(AGENT_KEY, "report_agent AS agent_, ")
    .replace(AGENT_ROWS, ` ARRAY JOIN arrayPushBack(${groups.candidates}, ${nil}) AS report_agent`)
    .replace(APART, " GROUP BY report_agent")
    .replaceAll("{f_agent:Nullable(UUID)}", `nullIf(report_agent, ${nil})`);
}

type PassRows = Map<string, Map<string, PassRow>>;

/**
 * Each pass's rows in one statement, a branch per pass giving (pass, agent, row) from `text`: by agent (the total under
 * NIL), or one row for an agent no cycle has. Null when the metrics' parameters clash.
 */
async function readPassRows(client: ClickHouseClient, reads: PassRead[], metrics: MetricDefinition[], query: MetricQuery,
  text: (read: PassRead, q: MetricQuery) => string, extra: QueryParams = {}): Promise<PassRows | null> {
  const statement = fittedStatement(query, (q) => {
    const params = mergedParams([...metrics.map((m) => metricParams(m, q)), extra]);
    const branches = reads.map((read, n) => `SELECT toUInt32(${n}) AS pass, toString(agent_) AS agent, ${passRowJson([...read.columns])} AS json
  FROM (\n${shapeForRollup(text(read, q), q.rollup ?? NO_ROLLUP, hasTerritoryFilter(q))}\n)`);
    return params && { sql: branches.join("\nUNION ALL\n"), params };
  });
  if (!statement) return null;
  const settings = { ...STATEMENT_SETTINGS, ...apartSettings(statement.sql) };
  const result = await client.query({ query: statement.sql, query_params: statement.params, format: "JSONEachRow", clickhouse_settings: settings });
  const rows: PassRows = new Map(reads.map(({ pass }) => [pass.id, new Map()]));
  for (const row of await result.json<{ pass: number; agent: string; json: string }>()) {
    rows.get(reads[Number(row.pass)]!.pass.id)!.set(row.agent, JSON.parse(row.json) as PassRow);
  }
  return rows;
}
/** The pass's one row, as `agent`'s. */
const oneRowText = (agent: string) => ({ pass, columns }: PassRead, q: MetricQuery) => `SELECT '${agent}' AS agent_, * FROM (${passSql(pass, q, columns)})`;

/**
 * A pass's row for an agent (null: the total): his group's, its `blind` columns the total's; without a group, the row
 * of an agent no cycle has (`none`: no rows to aggregate, blind columns over every row as for the total). A pass that
 * splits its row: the total's, cut for him.
 */
function passRow(groups: PassRows, none: PassRows | null, pass: Pass, agent: string | null): PassRow {
  const rows = groups.get(pass.id)!;
  const by = pass.byAgent!;
  if (splitsByAgent(by)) return agent === null ? rows.get(NIL)! : by.split(rows.get(NIL)!, agent);
  const own = rows.get(agent ?? NIL);
  if (!own) return none!.get(pass.id)!.get(NO_AGENT)!;
  if (agent === null) return own;
  const total = rows.get(NIL)!;
  return { ...own, ...Object.fromEntries((by.blind ?? []).map((column) => [column, total[column]])) };
}

/**
 * The metrics `ids` for each of `agents`, then for `base` (the total): `MetricResult[]` per row, in `ids` order. Panels of
 * passes that cannot group by agent run a statement per row (`runMetricsFor`), as does the total when `base` has an
 * agent filter of its own.
 */
export async function runMetricsByAgent(client: ClickHouseClient, ids: readonly string[], base: MetricQuery, agents: readonly string[]): Promise<MetricResult[][]> {
  const metrics = ids.map((id) => getMetric(id));
  const query = { ...base, rollup: base.rollup ?? (metrics.length > 0 ? await stateFor(client, metrics, base) : undefined) };
  const queries = [...agents.map((agent) => withAgent(query, agent)), query];
  const isGrouped = metrics.map(grouped);
  const inGroups = metrics.filter((_, i) => isGrouped[i]);
  const reads = passReads(inGroups);
  const groups = inGroups.length > 0 && agents.length > 0
    ? await readPassRows(client, reads, inGroups, withAgent(query, undefined), byAgentText, { report_agents: [...agents] }) : null;
  if (!groups) return runMetricsFor(client, ids, queries);
  // Only a pass grouped by agent may lack an agent's row; one that splits has the total's, all it needs.
  const lacking = reads.filter(({ pass }) => !splitsByAgent(pass.byAgent!) && [NIL, ...agents].some((agent) => !groups.get(pass.id)!.has(agent)));
  const none = lacking.length > 0 ? await readPassRows(client, lacking, inGroups, withAgent(query, NO_AGENT), oneRowText(NO_AGENT)) : null;
  const apart = metrics.filter((_, i) => !isGrouped[i]);
  const apartResults = apart.length > 0 ? await runMetricsFor(client, apart.map((m) => m.id), queries) : queries.map(() => []);
  const totals = (base.filters?.agentId ?? null) !== null ? (await runMetricsFor(client, inGroups.map((m) => m.id), [query]))[0]! : null;
  // Each metric's place among those read apart or grouped.
  const place = metrics.map((m, i) => (isGrouped[i] ? inGroups : apart).indexOf(m));
  return [...agents, null].map((agent, row) => metrics.map((m, i) => {
    if (!isGrouped[i]) return apartResults[row]![place[i]!]!;
    if (agent === null && totals) return totals[place[i]!]!;
    return toMetricResult(m, m.fromPass!.unpack(Object.assign({}, ...passesOf(m).map(({ pass }) => passRow(groups, none, pass, agent)))));
  }));
}
