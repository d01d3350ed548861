export type AgentStateType = "agent.presence_changed" | "agent.capacity_changed";
/**
 * Each agent's last change of each kind (presence, capacity) as of an instant: the greatest of the day rows
 * `agent_state_days` keeps (migration 0012) for the UTC days before the instant's day, and of the raw events of
 * that day up to it. Every change before the instant's day is in those rows and every later one is not, so this is
 * the argMax by (occurred_at, id) over all of history, without reading all of it. Several kinds in one read (the live
 * board's presences and capacities: one statement of the two it had).
 * Columns: agent_id, type, ms (the change's instant), v (its payload's `to`, as raw JSON: `"online"`, `5`).
 */
export function latestAgentState(types: AgentStateType | AgentStateType[], asOf: { bound: string; inclusive: boolean }, filter: string): string {
  const typeTest = `type IN (${[types].flat().map((type) => `'${type}'`).join(", ")})`;
  return `SELECT agent_id, type, l.1 AS ms, l.3 AS v FROM (SELECT agent_id, type, max(latest) AS l FROM (
    SELECT agent_id, type, latest FROM agent_state_days
    WHERE tenant_id = {tenant:UUID} AND ${typeTest} AND day < toDate(${asOf.bound}, 'UTC') AND (${filter})
    UNION ALL
    SELECT agent_id, type, (toUnixTimestamp64Milli(occurred_at), toString(id), JSONExtractRaw(payload, 'to')) FROM events
    WHERE tenant_id = {tenant:UUID} AND ${typeTest} AND (${filter})
      AND occurred_at >= toStartOfDay(${asOf.bound}) AND occurred_at ${asOf.inclusive ? "<=" : "<"} ${asOf.bound}
  ) GROUP BY agent_id, type)`;
}
