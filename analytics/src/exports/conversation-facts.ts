import type { ClickHouseClient } from "@clickhouse/client";
import { cycleAgentFilter, fittedStatement, overExactFrt, shapeForRollup, startedInRange } from "../query/cycles.js";
import { baseParams, STATEMENT_SETTINGS, type MetricQuery } from "../query/input.js";
import { readRollupState } from "../rollup/state.js";

/**
 * One row per conversation cycle started in the range (a conversation that never reopened is one row), with the
 * facts a supervisor reads in its timeline. Times are text in the query's zone; durations are seconds.
 */
export type ConversationFact = {
  conversationId: string;
  cycle: number;
  /** "YYYY-MM-DD HH:MM:SS" in the query's zone. */
  openedAt: string;
  resolvedAt: string | null;
  teamId: string | null;
  channelId: string | null;
  /** Every agent who held the cycle, in the order they first got it (Ana → Carlos → Ana is [Ana, Carlos]). */
  agentIds: string[];
  /** The assignee when it was resolved. */
  resolvedByAgentId: string | null;
  territory: string | null;
  firstResponseSeconds: number | null;
  resolutionSeconds: number | null;
  transfers: number;
  outcome: string | null;
  dealValue: number | null;
  currency: string | null;
  lossReason: string | null;
  csat: number | null;
  tags: string[];
};

const NIL = "00000000-0000-0000-0000-000000000000";
const inZone = (column: string) => `formatDateTime(toTimeZone(${column}, {tz:String}), '%Y-%m-%d %H:%i:%S')`;
const territoryOf = `(SELECT conversation_id, max(territory) AS terr FROM cycle_facts_v2 WHERE tenant_id = {tenant:UUID} GROUP BY conversation_id) AS tr`;
/** Distinct in first-occurrence order (ClickHouse's arrayDistinct does not promise an order). */
const agentsInOrder = `arrayFilter((a, i) -> indexOf(arrayMap(s -> s.1, c.stints), a) = i, arrayMap(s -> s.1, c.stints), arrayEnumerate(c.stints))`;

/** The statement: static text, every value a typed parameter. Same filters as the metrics (cycles.ts). */
export const conversationFactsSql = overExactFrt(`SELECT toString(c.conversation_id) AS conversation_id, c.cycle AS cycle,
    ${inZone("c.start_at")} AS opened_at, if(c.resolve_at IS NULL, NULL, ${inZone("c.resolve_at")}) AS resolved_at,
    toString(c.team) AS team_id, toString(c.channel) AS channel_id,
    arrayMap(a -> toString(a), ${agentsInOrder}) AS agent_ids, toString(c.resolve_agent) AS resolver_id,
    tr.terr AS territory, f.frt AS frt, if(c.resolve_at IS NULL, NULL, c.resolution_s) AS resolution,
    c.transfer_n AS transfer_count, c.result AS outcome, c.deal AS deal, c.cur AS cur, c.loss AS loss, c.csat AS csat, arraySort(c.tag_set) AS tags
  FROM cycles AS c
  LEFT JOIN frt_cycles AS f ON f.conversation_id = c.conversation_id AND f.cycle = c.cycle
  LEFT JOIN ${territoryOf} ON tr.conversation_id = c.conversation_id
  WHERE ${startedInRange.replaceAll("started_ms_", "c.started_ms_")} AND ${cycleAgentFilter.replaceAll("assignees", "c.assignees")}
  ORDER BY c.start_at, conversation_id, cycle
  LIMIT {row_limit:UInt32}`);

type Raw = {
  conversation_id: string; cycle: number; opened_at: string; resolved_at: string | null; team_id: string; channel_id: string;
  agent_ids: string[]; resolver_id: string; territory: string; frt: number | null; resolution: number | string | null;
  transfer_count: number | string; outcome: string; deal: number; cur: string; loss: string; csat: number; tags: string[];
};

const orNull = (id: string) => (id === NIL || id === "" ? null : id);
const text = (value: string) => (value === "" ? null : value);
const num = (value: number | string | null) => (value === null ? null : Number(value));

function toFact(r: Raw): ConversationFact {
  const won = r.outcome === "won";
  return {
    conversationId: r.conversation_id, cycle: Number(r.cycle), openedAt: r.opened_at, resolvedAt: r.resolved_at,
    teamId: orNull(r.team_id), channelId: orNull(r.channel_id), agentIds: r.agent_ids, resolvedByAgentId: orNull(r.resolver_id),
    territory: text(r.territory), firstResponseSeconds: num(r.frt), resolutionSeconds: num(r.resolution), transfers: Number(r.transfer_count),
    outcome: text(r.outcome), dealValue: won ? Number(r.deal) : null, currency: won ? text(r.cur) : null, lossReason: text(r.loss),
    csat: r.csat > 0 ? Number(r.csat) : null, tags: r.tags,
  };
}

/** Exports cap the rows they read; a larger workspace narrows the range or the filters. */
export const CONVERSATION_FACTS_LIMIT = 100_000;

/** The per-conversation export: cycles started in `query`'s range, filtered like every metric. */
export async function conversationFacts(client: ClickHouseClient, query: MetricQuery, limit = CONVERSATION_FACTS_LIMIT): Promise<ConversationFact[]> {
  const rollup = query.rollup ?? await readRollupState(client, query.tenantId);
  const { sql, params } = fittedStatement({ ...query, rollup }, (q) => ({ sql: shapeForRollup(conversationFactsSql, q.rollup!), params: { ...baseParams(q), row_limit: limit } }))!;
  const result = await client.query({ query: sql, query_params: params, format: "JSONEachRow", clickhouse_settings: STATEMENT_SETTINGS });
  return (await result.json<Raw>()).map(toFact);
}
