import { outsideSums, outsideSumsKey, summedBuckets } from "../query/cycle-columns.js";
import { agentFilter, cycleAgentFilter, cycleKeys, extractInRange, extractRange, startedInRange } from "../query/cycles.js";
import { transferSumsWindow, type MetricQuery } from "../query/input.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { AGENT_KEY, AGENT_ROWS, APART, ASSIGNED_AGENTS, byCountThenKey, reportAgentsIn, byText, columnValue, mapRows, share, type PassPanel, type Pass, type PassRow } from "./pass.js";
import type { RawRow } from "./run.js";

/**
 * Dashboard 5 on three passes (`pass.ts`), each panel was its own read (and its own analysis) before: the range's
 * transfers read once for the count, the pair matrix and the reasons; the cycles started in or alive during the
 * range once for the rate, multi-transfer and transferred-then-resolved counts; the stints ended by a transfer for
 * the time before transfer. The pair matrix (the spec's full from → to matrix: ~23k pairs a month at bench size)
 * is grouped in its pass and ordered in TypeScript.
 */

/** Transfers of the range, one row per event id. */
const transfers = extractInRange("transfers");
const fromOrTo = "({f_agent:Nullable(UUID)} IS NULL OR from_agent_id = toString({f_agent:Nullable(UUID)}) OR to_agent_id = toString({f_agent:Nullable(UUID)}))";

// One read, two groupings: per pair (the matrix, and the agent-filtered count) and per reason. The reasons were a
// map per pair summed a level up, which cost as much again as the read (~20 ms of ~60 at 34k transfers a month).
// `grouping(key, series)` is 0 on the pair rows and non-zero on the reason rows (standard SQL's bit per column
// left out of the set), whatever the values: a team or reason may be the empty string.
// The pair matrix (23k pairs a month at bench size) leaves as its distinct names and, per pair, the dense ids of its
// two names and its count, sorted in TypeScript: as (from, to, n) text tuples sorted in ClickHouse it was 1.9 MB of
// JSON and half the pass's time (37 -> 23 ms for the pass at 9.7M events).
const transferSide = `SELECT n_agent, n_all, reason_n, pair_n, arrayDistinct(arrayConcat(froms, tos)) AS names, arrayEnumerateDense(arrayConcat(froms, tos)) AS name_ids
  FROM (SELECT sumIf(n_agent, g = 0) AS n_agent, sumIf(n, g = 0) AS n_all,
    groupArrayIf(key, g = 0) AS froms, groupArrayIf(series, g = 0) AS tos, groupArrayIf(n, g = 0) AS pair_n,
    sumMapIf(map(reason, n), g != 0) AS reason_n
  FROM (SELECT if(from_agent_id = '', from_team_id, from_agent_id) AS key, if(to_agent_id = '', to_team_id, to_agent_id) AS series, reason,
      grouping(key, series) AS g, count() AS n, countIf(${fromOrTo}) AS n_agent
    FROM ${transfers} AS e GROUP BY GROUPING SETS ((key, series), (reason))))`;

/**
 * The matrix's rows from the pass, by (from, to) as text: names are 1-based dense ids, the first `pair_n.length` the
 * pairs' sources, the rest their targets. Sorted on one number per pair, its two names' ranks then its index, in a
 * typed array (23k pairs: 7.2 -> 3.0 ms, where an index array was sorted with a comparator called back per comparison).
 */
function pairRows(row: PassRow): RawRow[] {
  const [names, ids, counts] = [row.names as string[], row.name_ids as number[], row.pair_n as number[]];
  const rankOf = new Map([...names].sort(byText).map((name, rank) => [name, rank]));
  const rank = names.map((name) => rankOf.get(name)!);
  const n = counts.length;
  // Exact while names² · pairs < 2^53: far past any matrix (a thousand names and all their million pairs: 2^40).
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = (rank[ids[i]! - 1]! * names.length + rank[ids[n + i]! - 1]!) * n + i;
  order.sort();
  return Array.from(order, (o) => {
    const i = o % n;
    return { key: names[ids[i]! - 1]!, series: names[ids[n + i]! - 1]!, value: Number(counts[i]) };
  });
}

const transferred = `${startedInRange} AND transfer_n > 0 AND ${cycleAgentFilter}`;

// Handled: some assignee also wrote (`handlers` non-empty), tested without building the intersection.
const cycleSide = `SELECT ${AGENT_KEY}
    uniqExactIf(conversation_id, hasAny(assignees, responders) AND ${cycleKeys.overlapping.where} AND ${cycleAgentFilter}) AS handled,
    countIf(${startedInRange} AND ${cycleAgentFilter} AND transfer_n >= 2) AS multi,
    countIf(${transferred}) AS transferred,
    countIf(${transferred} AND resolved_ms_ != 0 AND result NOT IN ('abandoned', 'expired')) AS transferred_resolved
  FROM cycles${AGENT_ROWS}${APART}`;

// A stint a transfer ended: same cycle, same agent, same instant. The range's whole hours before any hot cycle may change
// them are read from the sums (`xfer_n`, `xfer_ms` of `agent_time_sums`, migration 0021: ~900 rows a day at bench size),
// the rest from the cycles (`transferSumsWindow`). There only stints ended outside the sums, of cycles with a transfer,
// are tested. The transfers of the range outside the sums are a set the stints are looked up in, built before the
// cycles are read: it needs no dedupe by id (a delivery twice is one member), and no stint is joined to its transfer's
// row (68 -> 49 ms for the pass at 9.7M events, 34k transfers a month, against an INNER JOIN on the four keys). A stint
// counts once even if two transfers ended it at one instant, which a transfer, ending the stint, rules out.
// On a board each part keeps the agent filter's rows; in a report by agent (`perAgent`) it gives them per agent instead,
// (agent, n, ms), each agent's under him and every one's under the total (`AgentGroups`).
const perAgentOr = (perAgent: boolean, agent: string) => ({ key: perAgent ? `${agent} AS agent, ` : "", test: perAgent ? "" : ` AND ${agentFilter(agent)}`, end: perAgent ? " GROUP BY agent" : "" });
const summedBefore = (perAgent: boolean) => {
  const a = perAgentOr(perAgent, "agent");
  return `SELECT ${a.key}toInt64(sum(xfer_n)) AS n, sum(xfer_ms) AS ms FROM agent_time_sums FINAL
      WHERE ${summedBuckets("t_")}${a.test}${a.end}`;
};
const transferEnds = `SELECT conversation_id, cycle, toUUIDOrZero(from_agent_id), toUnixTimestamp64Milli(occurred_at) FROM transfers
      WHERE ${extractRange} AND ${outsideSums("toUnixTimestamp64Milli(occurred_at)", "t_")}`;
const stintsBefore = (perAgent: boolean) => {
  const a = perAgentOr(perAgent, "s.1");
  return `SELECT ${a.key}toInt64(count()) AS n, sum(s.3 - s.2) AS ms
      FROM cycles AS c ARRAY JOIN arrayFilter(s -> ${outsideSums("s.3", "t_")}, c.stints) AS s
      WHERE c.transfer_n > 0${a.test} AND (c.conversation_id, c.cycle, s.1, s.3) IN (${transferEnds})${a.end}`;
};
const beforeSide = (parts: string[]) => `SELECT ${AGENT_KEY}sum(n) AS before_n, sum(ms) AS before_ms FROM (${parts.join("\n      UNION ALL\n      ")})${AGENT_ROWS}${APART}`;
/** The sums alone when they cover the range, the cycles alone with none to read, else both (cycles pruned on `item_span`). */
function beforeSql(q: MetricQuery, perAgent = false): string {
  const w = transferSumsWindow(q);
  if (w.sums_to_ms <= w.sums_from_ms) return overCycles(beforeSide([stintsBefore(perAgent)]), cycleKeys.overlapping);
  if (w.sums_from_ms <= q.from.getTime() && w.sums_to_ms >= q.to.getTime()) return beforeSide([summedBefore(perAgent)]);
  return overCycles(beforeSide([summedBefore(perAgent), stintsBefore(perAgent)]), outsideSumsKey("t_"));
}

// Three passes, not one: the board's statement runs its branches side by side, while one pass's subqueries (a
// CROSS JOIN of the three) ran one after the other, 10% slower. The counts' cycles: started in the range or alive in it (each aggregate
// repeats its own test); the rate's numerator is every transfer of the range (no filter applies to it, as before),
// from the events' pass: as a scalar subquery of the counts' it ran before the statement started (12 ms at 9.7M events).
const eventsPass: Pass = {
  id: "transfer events",
  sql: () => transferSide,
  // Grouped by agent, the counts alone (the pairs and reasons take the grouping sets), every transfer once per agent at
  // either end of it.
  byAgent: {
    text: () => `SELECT ${AGENT_KEY}countIf(${fromOrTo}) AS n_agent, count() AS n_all FROM ${transfers} AS e${AGENT_ROWS}${APART}`,
    candidates: reportAgentsIn("arrayDistinct([toUUIDOrZero(from_agent_id), toUUIDOrZero(to_agent_id)])"),
    blind: ["n_all"], columns: ["n_agent", "n_all"],
  },
};
const countsPass: Pass = {
  id: "transferred cycles",
  sql: () => overCycles(cycleSide, cycleKeys.startedOrOverlapping),
  columns: ["handled", "multi", "transferred", "transferred_resolved"],
  byAgent: { candidates: ASSIGNED_AGENTS },
};
const beforePass: Pass = {
  id: "time before transfer", agentSums: true, sql: (q) => beforeSql(q),
  byAgent: { text: (q) => beforeSql(q, true), candidates: reportAgentsIn("[agent]") },
};

const scalar = (pass: Pass, id: string, unit: MetricDefinition["unit"], name: Text, description: Text, value: string | Pick<PassPanel, "columns" | "unpack">) =>
  onPass({ id, unit, kind: "scalar", name, description }, { pass, ...(typeof value === "string" ? columnValue(value) : value) });

export const transferMetrics: MetricDefinition[] = [
  scalar(eventsPass, "transfers", "count", t("Transferencias", "Transfers"), t("Transferencias ocurridas en el rango.", "Transfers that happened in the range."), "n_agent"),
  onPass({ id: "transfers_by_pair", unit: "count", kind: "breakdown",
    name: t("Transferencias por par", "Transfers by pair"), description: t("Matriz origen → destino (agentes; equipo si no hay agente). key = origen, series = destino.", "From → to matrix (agents; the team when no agent). key = from, series = to.") },
  { pass: eventsPass, columns: ["names", "name_ids", "pair_n"], unpack: pairRows }),
  onPass({ id: "transfers_by_reason", unit: "count", kind: "breakdown",
    name: t("Transferencias por motivo", "Transfers by reason"), description: t("Transferencias por motivo declarado.", "Transfers by stated reason.") },
  { pass: eventsPass, columns: ["reason_n"], unpack: (row) => mapRows(row.reason_n).sort(byCountThenKey) }),
  scalar(countsPass, "multi_transfer_conversations", "count", t("Conversaciones con varias transferencias", "Multi-transfer conversations"), t("Ciclos iniciados en el rango transferidos 2 o más veces.", "Cycles started in the range transferred 2 or more times."), "multi"),
  onPass({ id: "transfer_rate", unit: "share", kind: "scalar", name: t("Tasa de transferencia", "Transfer rate"),
    description: t("Transferencias en el rango / conversaciones atendidas en él.", "Transfers in the range / conversations handled in it.") },
  { pass: countsPass, columns: ["handled"], also: [{ pass: eventsPass, columns: ["n_all"] }],
    unpack: (row) => [{ value: share(row.n_all, row.handled) }] }),
  scalar(beforePass, "time_before_transfer_avg", "seconds", t("Tiempo antes de transferir", "Time before transfer"), t("De la asignación del agente que transfiere a la transferencia.", "From the transferring agent's assignment to the transfer."),
    { columns: ["before_n", "before_ms"], unpack: (row) => [{ value: Number(row.before_n) > 0 ? Number(row.before_ms) / 1000 / Number(row.before_n) : null }] }),
  scalar(countsPass, "transfer_then_resolved_rate", "share", t("Transferidas y resueltas", "Transferred then resolved"), t("Ciclos transferidos iniciados en el rango que terminaron resueltos (no abandonados, vencidos ni abiertos).", "Transferred cycles started in the range that ended resolved (not abandoned, expired or still open)."),
    { columns: ["transferred", "transferred_resolved"], unpack: (row) => [{ value: share(row.transferred_resolved, row.transferred) }] }),
];
