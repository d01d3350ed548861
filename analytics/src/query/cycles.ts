/**
 * SQL building blocks shared by the metric queries. They are static text: every value a user can influence
 * reaches ClickHouse as a typed query parameter ({name:Type}), never by string concatenation.
 */

const NIL = "toUUIDOrZero('')";
/** The "absent" value of a min-aggregated millisecond column in `cycle_facts`. */
const NONE = "9223372036854775807";
const instant = (ms: string, absent: string) => `if(${ms} = ${absent}, NULL, fromUnixTimestamp64Milli(${ms}, 'UTC'))`;

/**
 * Which cycles a query needs, as a HAVING over `cycle_facts`' raw aggregates. Metrics that unpack the
 * message or ownership arrays name one, so only those cycles pay for it.
 */
export const cycleKeys = {
  started: `min(started_ms) >= {from_ms:Int64} AND min(started_ms) < {to_ms:Int64}`,
  live: `min(started_ms) <= {to_ms:Int64} AND (max(resolved_ms) = 0 OR max(resolved_ms) > {to_ms:Int64})`,
  /** Cycles alive at some point of the range (for stints and runs that may have started before it). */
  overlapping: `min(started_ms) < {to_ms:Int64} AND (max(resolved_ms) = 0 OR max(resolved_ms) >= {from_ms:Int64})`,
  /** Only an agent's reopen can put an agent message before the customer's: FRT needs the arrays there. */
  agentFirst: `min(first_agent_ms) < min(first_customer_ms) AND min(first_customer_ms) != ${NONE}`,
} as const;

type Column = [alias: string, expr: string];

/** Aggregates over `cycle_facts`, one row per cycle. */
const rawColumns: Column[] = [
  ["channel", "max(channel_id)"], ["team", "argMinMerge(team_at_start)"],
  ["started_ms_", "min(started_ms)"], ["resolved_ms_", "max(resolved_ms)"], ["first_customer_ms", "min(first_customer_ms)"],
  ["first_agent_ms", "min(first_agent_ms)"], ["first_responder_agent", "argMinMerge(first_responder)"],
  ["first_assigned_ms_", "min(first_assigned_ms)"], ["previous_resolved_ms_", "max(previous_resolved_ms)"],
  ["is_reopen", "max(reopened)"], ["is_agent_reopen", "max(reopened_by_agent)"], ["prev_resolver", "max(previous_resolver)"],
  ["lead", "max(is_lead)"], ["ooh", "max(out_of_hours)"], ["new_contact", "max(is_new_contact)"], ["dept", "max(department)"],
  ["result", "max(outcome)"], ["resolved_via", "max(resolved_by)"], ["resolve_agent", "max(resolver)"], ["deal", "max(deal_value)"],
  ["cur", "max(currency)"], ["loss", "max(loss_reason)"], ["csat_asked", "max(csat_requested)"], ["csat", "max(csat_score)"],
  ["breached", "max(sla_breached)"], ["tag_set", "groupUniqArrayArray(tags)"],
  ["assignees", "groupUniqArrayArray(assignees)"], ["responders", "groupUniqArrayArray(responders)"],
  ["msgs", "arraySort(x -> (x.1, x.4), groupUniqArrayMerge(messages))"],
  ["owners", "arraySort(x -> (x.1, x.2), groupUniqArrayMerge(ownership))"],
  ["transfer_n", "uniqExactMerge(transfers)"], ["escalation_n", "uniqExactMerge(escalations)"], ["automated_n", "uniqExactMerge(automated_messages)"],
];

/** Per-cycle values derived from the aggregates, in dependency order. */
function derivedColumns(frtFromArrays: boolean): Column[] {
  const frt: Column[] = frtFromArrays
    ? [["frt", "if(length(responses) > 0, responses[1].1 / 1000, NULL)"], ["frt_agent", `if(length(responses) > 0, responses[1].2, ${NIL})`],
      ["frt_from_ms", "responses[1].3"], ["frt_to_ms", "responses[1].4"]]
    : [["frt", `if(first_customer_ms != ${NONE} AND first_agent_ms != ${NONE} AND first_agent_ms >= first_customer_ms, (first_agent_ms - first_customer_ms) / 1000, NULL)`],
      ["frt_agent", "first_responder_agent"], ["frt_from_ms", "first_customer_ms"], ["frt_to_ms", "first_agent_ms"]];
  return [
    ["start_at", instant("started_ms_", NONE)], ["resolve_at", instant("resolved_ms_", "0")],
    ["first_customer", instant("first_customer_ms", NONE)], ["first_assign", instant("first_assigned_ms_", NONE)],
    ["prev_resolved_at", instant("previous_resolved_ms_", "0")],
    ["kinds", "arrayMap(x -> x.2, msgs)"],
    // A run of customer messages starts where the previous message was not the customer's (kinds[0] = 0).
    ["run_starts", "arrayFilter((x, i) -> x.2 = 1 AND kinds[i - 1] != 1, msgs, arrayEnumerate(msgs))"],
    ["replies", "arrayFilter((x, i) -> x.2 = 2 AND kinds[i - 1] = 1, msgs, arrayEnumerate(msgs))"],
    // (wait ms, responding agent, run start ms, reply ms) for every answered run, in order.
    ["responses", "arrayMap((s, r) -> (r.1 - s.1, r.3, s.1, r.1), arraySlice(run_starts, 1, length(replies)), replies)"],
    ...frt,
    ["handlers", "arrayIntersect(assignees, responders)"],
    // Ownership changes: (ms, new assignee); stints are the spans between them.
    ["changes", "arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners))"],
    ["stints", `arrayFilter(s -> s.1 != ${NIL}, arrayMap((c, i) -> (c.3, c.1, if(i < length(changes), changes[i + 1].1, -1)), changes, arrayEnumerate(changes)))`],
    ["resolution_s", "(resolved_ms_ - started_ms_) / 1000"],
    ["assign_s", `if(first_assigned_ms_ = ${NONE}, NULL, (first_assigned_ms_ - started_ms_) / 1000)`],
  ];
}

/** Columns the filters always read. */
const filterText = "conversation_id channel team tag_set";
const words = (text: string) => new Set(text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);

/**
 * Only the columns `usedBy` mentions, and what those need: ClickHouse's planner spends more on a wide CTE
 * of lambdas than the query spends running, so each query gets the narrowest one.
 */
function neededColumns(usedBy: string, derived: Column[]): { raw: Column[]; derived: Column[] } {
  const needed = words(`${usedBy} ${filterText}`);
  for (const [alias, expr] of [...derived].reverse()) if (needed.has(alias)) for (const w of words(expr)) needed.add(w);
  return { raw: rawColumns.filter(([a]) => needed.has(a)), derived: derived.filter(([a]) => needed.has(a)) };
}

/** One row per conversation cycle, re-aggregated on every query so results never depend on merges. */
function cycleCte(name: string, keys: string | null, frtFromArrays: boolean, usedBy: string): string {
  const keyFilter = keys === null ? "" : `AND (conversation_id, cycle) IN (SELECT conversation_id, cycle FROM cycle_facts
    WHERE tenant_id = {tenant:UUID} GROUP BY conversation_id, cycle HAVING ${keys})`;
  const { raw, derived } = neededColumns(usedBy, derivedColumns(frtFromArrays));
  const list = (cols: Column[]) => cols.map(([alias, expr]) => `${expr} AS ${alias}`).join(",\n    ");
  const rawAliases = ["conversation_id", "cycle", ...raw.map(([a]) => a)].join(", ");
  return `${name}_raw AS (
  SELECT conversation_id, cycle${raw.length ? `,\n    ${list(raw)}` : ""}
  FROM cycle_facts
  WHERE tenant_id = {tenant:UUID} ${keyFilter}
  GROUP BY conversation_id, cycle
),
${name} AS (
  SELECT ${rawAliases}${derived.length ? `,\n    ${list(derived)}` : ""}
  FROM ${name}_raw
  WHERE ({f_channel:Nullable(UUID)} IS NULL OR channel = {f_channel:Nullable(UUID)})
    AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team))
    AND ({f_tag:Nullable(String)} IS NULL OR has(tag_set, {f_tag:Nullable(String)}))
    AND ({f_territory:Nullable(String)} IS NULL OR conversation_id IN (SELECT conversation_id FROM territories))
)`;
}

const territoriesCte = `territories AS (
  SELECT DISTINCT conversation_id FROM cycle_facts
  WHERE tenant_id = {tenant:UUID} AND territory = {f_territory:Nullable(String)}
)`;

/** `cycles` (optionally only the `keys` cycles) then the metric's own SELECT. */
export const overCycles = (select: string, keys: string | null = null) =>
  `WITH ${territoriesCte},\n${cycleCte("cycles", keys, false, select)}\n${select}`;

/**
 * `frt_cycles`: every cycle with its exact first response. Most take the fast path (first agent message after
 * the first customer message, two columns); the agent-first ones (an agent's reopen) read it from their message
 * arrays, so only those few pay for unpacking them. Columns: conversation_id, cycle, team, start_at,
 * resolve_at, first_customer, assignees, frt (s), frt_agent, frt_from_ms, frt_to_ms.
 */
export function overExactFrt(select: string): string {
  const columns = "conversation_id, cycle, team, start_at, resolve_at, first_customer, assignees, frt, frt_agent, frt_from_ms, frt_to_ms";
  const usedBy = `${columns} first_agent_ms first_customer_ms ${select}`;
  return `WITH ${territoriesCte},\n${cycleCte("cycles", null, false, usedBy)},\n${cycleCte("agent_first_cycles", cycleKeys.agentFirst, true, usedBy)},
frt_cycles AS (
  SELECT ${columns} FROM cycles WHERE NOT (first_agent_ms < first_customer_ms AND first_customer_ms != ${NONE})
  UNION ALL
  SELECT ${columns} FROM agent_first_cycles
)
${select}`;
}

/** Agent filter for per-cycle metrics: the cycle had the agent as assignee at some point. */
export const cycleAgentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;

export const startedInRange = `start_at >= {from:DateTime64(3, 'UTC')} AND start_at < {to:DateTime64(3, 'UTC')}`;
export const resolvedInRange = `resolve_at >= {from:DateTime64(3, 'UTC')} AND resolve_at < {to:DateTime64(3, 'UTC')}`;

/** Bucket start in the query's zone, as text in that zone (the bucket a person reads on the chart). */
export function bucketExpr(column: string, bucket: "hour" | "day" | "week"): string {
  const inZone = `toTimeZone(${column}, {tz:String})`;
  if (bucket === "week") return `toString(toMonday(${inZone}))`;
  return `formatDateTime(${bucket === "hour" ? "toStartOfHour" : "toStartOfDay"}(${inZone}), '%Y-%m-%d %H:%i')`;
}

/** Events of the tenant in range, one row per event id (the raw table may hold a redelivery twice). */
export function dedupedEvents(types: string): string {
  return `(SELECT * FROM events
    WHERE tenant_id = {tenant:UUID} AND type IN (${types})
      AND occurred_at >= {from:DateTime64(3, 'UTC')} AND occurred_at < {to:DateTime64(3, 'UTC')}
    LIMIT 1 BY id)`;
}
