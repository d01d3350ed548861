/**
 * The per-cycle columns every cycle metric reads: aggregates over `cycle_facts_v2` (re-aggregated at query time
 * for cycles touched since the last compaction) and, under the same names, the stored columns of
 * `cycle_rollup` (everything older). Derived columns are computed from them at query time either way.
 */

export const NIL = "toUUIDOrZero('')";
/** The "absent" value of a min-aggregated millisecond column in `cycle_facts_v2`. */
export const NONE = "9223372036854775807";
const instant = (ms: string, absent: string) => `if(${ms} = ${absent}, NULL, fromUnixTimestamp64Milli(${ms}, 'UTC'))`;

/**
 * Which cycles a query needs: a HAVING over `cycle_facts_v2`' raw aggregates and the same test as a WHERE over
 * `cycle_rollup`'s stored columns (whose sort key starts with the start instant, so `started` prunes).
 * Metrics that unpack the message or ownership arrays name one, so only those cycles pay for it.
 */
export type CycleKey = { having: string; where: string };
const key = (test: (started: string, resolved: string, firstAgent: string, firstCustomer: string, firstAssigned: string) => string): CycleKey => ({
  having: test("min(started_ms)", "max(resolved_ms)", "min(first_agent_ms)", "min(first_customer_ms)", "min(first_assigned_ms)"),
  where: test("started_ms_", "resolved_ms_", "first_agent_ms", "first_customer_ms", "first_assigned_ms_"),
});
/** Both keys: cycles that pass each. */
export const bothKeys = (a: CycleKey, b: CycleKey): CycleKey => ({ having: `((${a.having}) AND (${b.having}))`, where: `((${a.where}) AND (${b.where}))` });
/** Either key: for a select that counts two sets of cycles (the minmax pruning still works on each side). */
export const eitherKey = (a: CycleKey, b: CycleKey): CycleKey => ({ having: `((${a.having}) OR (${b.having}))`, where: `((${a.where}) OR (${b.where}))` });

/**
 * Reopens started since the range opened: every reopen of a cycle resolved in the range (it starts after that
 * resolve), found by the rollup's sort key (tenant, start) instead of among every reopen in history.
 */
const reopenedSince: CycleKey = { where: "is_reopen = 1 AND started_ms_ >= {from_ms:Int64}", having: "max(reopened) = 1 AND min(started_ms) >= {from_ms:Int64}" };
const started = key((s) => `${s} >= {from_ms:Int64} AND ${s} < {to_ms:Int64}`);
const resolved = key((_s, r) => `${r} >= {from_ms:Int64} AND ${r} < {to_ms:Int64}`);
/** Alive at the range start or later, as the rollup's `alive_until_minmax` index (migration 0008) is written. */
const aliveSince = key((s, r) => `if(${r} = 0, ${NONE}, greatest(${s}, ${r})) >= {from_ms:Int64}`);

/**
 * Alive at some point of [from, to) (ms expressions), with the test `alive_until_minmax` prunes on, which the first
 * implies: for a `from` at or near the present (the workload sweep after its summed hours), where the start alone would
 * let every cycle started before it through.
 */
export const aliveIn = (from: string, to: string) =>
  key((s, r) => `${s} < ${to} AND (${r} = 0 OR ${r} >= ${from}) AND if(${r} = 0, ${NONE}, greatest(${s}, ${r})) >= ${from}`);
/** Alive within an hour of [from, to): the cycles a transfer of it can be on (it happens while its cycle is open; the hour absorbs clocks apart). */
export const aliveNear = (from: string, to: string) => aliveIn(`${from} - 3600000`, `${to} + 3600000`);

/** The cycle was resolved with an assignee: resolves, their time and CSAT are credited to that agent (the agent board, its sums). */
export const HAS_RESOLVE_AGENT = `resolve_agent != ${NIL}`;

/** A reopen's previous resolve (any other cycle's start), as the rollup's `reopen_of_minmax` index (migration 0018) is written. */
export const REOPEN_OF = "if(is_reopen = 1, previous_resolved_ms_, started_ms_)";
/**
 * In the range, outside the whole hours the agent board reads summed (`agentSumsWindow`), or another board its own
 * window of the same sums (`prefix`: `t_`, `transferSumsWindow`).
 */
export const outsideSums = (ms: string, prefix = "") =>
  `${ms} >= {from_ms:Int64} AND ${ms} < {to_ms:Int64} AND (${ms} < {${prefix}sums_from_ms:Int64} OR ${ms} >= {${prefix}sums_to_ms:Int64})`;
/** A window's time parameter (ms) as the sums' bucket starts. */
const sumsAt = (param: string) => `toDateTime(intDiv({${param}:Int64}, 1000), 'UTC')`;
/**
 * The filters the sums have keys for: a view with no tag or territory filter reads the rows of every tag or territory
 * ('', migrations 0025 and 0026), one with both the rows of the pair (0027).
 */
export const sumsFilters = `({f_channel:Nullable(UUID)} IS NULL OR channel = {f_channel:Nullable(UUID)}) AND (empty({f_teams:Array(UUID)}) OR has({f_teams:Array(UUID)}, team))
        AND tag = ifNull({f_tag:Nullable(String)}, '') AND territory = ifNull({f_territory:Nullable(String)}, '')`;
/**
 * The rows of `agent_time_sums` (migration 0018) a window reads: its whole days by day, its other whole hours by hour
 * (one read, the sort key's two ranges), the channel and team filters on their keys.
 */
export const summedBuckets = (prefix = "") => `tenant_id = {tenant:UUID}
        AND ((grain = 'day' AND at >= ${sumsAt(`${prefix}days_from_ms`)} AND at < ${sumsAt(`${prefix}days_to_ms`)})
          OR (grain = 'hour' AND at >= ${sumsAt(`${prefix}sums_from_ms`)} AND at < ${sumsAt(`${prefix}sums_to_ms`)}
            AND (at < ${sumsAt(`${prefix}days_from_ms`)} OR at >= ${sumsAt(`${prefix}days_to_ms`)})))
        AND ${sumsFilters}`;
/**
 * The cycles with a run or stint in the range outside a window's sums (`item_span`'s indexes prune the rest). Hot cycles'
 * facts cannot test `item_span` in their HAVING: there every cycle alive in the range passes, and its items are filtered.
 */
export const outsideSumsKey = (prefix = ""): CycleKey => ({
  having: cycleKeys.overlapping.having,
  where: `(({${prefix}sums_from_ms:Int64} > {from_ms:Int64} AND item_span.1 < {${prefix}sums_from_ms:Int64} AND item_span.2 >= {from_ms:Int64})
    OR (item_span.1 < {to_ms:Int64} AND item_span.2 >= {${prefix}sums_to_ms:Int64}))`,
});

export const cycleKeys = {
  started,
  live: key((s, r) => `${s} <= {to_ms:Int64} AND (${r} = 0 OR ${r} > {to_ms:Int64})`),
  resolved,
  reopenedSince,
  aliveSince,
  /**
   * Cycles resolved in the range or reopens started since it opened: both are alive at its start or later, a test
   * `alive_until_minmax` prunes on, which the OR of the two alone would not give it.
   */
  resolvedOrReopenedSince: bothKeys(aliveSince, eitherKey(resolved, reopenedSince)),
  /** Cycles started or resolved in the range, under the same `alive_until_minmax` test (a start in it is alive since it). */
  startedOrResolved: bothKeys(aliveSince, eitherKey(started, resolved)),
  /** Cycles alive at some point of the range (for stints and runs that may have started before it). */
  overlapping: key((s, r) => `${s} < {to_ms:Int64} AND (${r} = 0 OR ${r} >= {from_ms:Int64})`),
  /** The same from where the workload board's sweep starts (`loadWindow`: after the hours it reads summed). */
  overlappingLoad: aliveIn("{load_from_ms:Int64}", "{to_ms:Int64}"),
  /**
   * Cycles started in the range or alive during it, exactly (a cycle started in the range is alive in it unless
   * its resolve is stamped before its start, a clock skew between routers): started before `to` and alive until
   * the range at least, as the rollup's `alive_until_minmax` index (migration 0008) is written, so it prunes.
   */
  startedOrOverlapping: key((s, r) => `${s} < {to_ms:Int64} AND if(${r} = 0, ${NONE}, greatest(${s}, ${r})) >= {from_ms:Int64}`),
  /**
   * `startedOrOverlapping` or resolved in the range (a resolve in the range keeps a cycle alive until it, so every such
   * cycle passes the first test): a test `alive_until_minmax` prunes on, where an OR of the two keys gives each index
   * a side it cannot evaluate.
   */
  aliveOrResolved: key((s, r) => `if(${r} = 0, ${NONE}, greatest(${s}, ${r})) >= {from_ms:Int64}
    AND (${s} < {to_ms:Int64} OR (${r} >= {from_ms:Int64} AND ${r} < {to_ms:Int64}))`),
  /**
   * Cycles first assigned in the hour before `to`, on the expression the rollup's `assigned_minmax` index (migration
   * 0010) is written with (never assigned: 0, outside any range), so it prunes; the start does not bound it.
   */
  assignedLastHour: key((_s, _r, _a, _c, f) => `if(${f} = ${NONE}, 0, ${f}) >= {to_ms:Int64} - 3600000 AND if(${f} = ${NONE}, 0, ${f}) < {to_ms:Int64}`),
  /**
   * Resolved, started, or a reopen of a resolve, in the range outside the whole hours the agent board reads summed
   * (`agentSumsWindow`: empty unless it can, and ending before every instant of a hot cycle, so a cycle in those hours
   * is in the rollup and in the sums). Written as ranges the rollup's sort key and indexes prune on.
   */
  resolvedOutsideSums: key((_s, r) => outsideSums(r)),
  startedOutsideSums: key((s) => outsideSums(s)),
  reopenedOutsideSums: {
    where: `is_reopen = 1 AND ${outsideSums(REOPEN_OF)}`,
    having: `max(reopened) = 1 AND ${outsideSums("if(max(reopened) = 1, max(previous_resolved_ms), min(started_ms))")}`,
  },
  /** Only an agent's reopen can put an agent message before the customer's: FRT needs the arrays there. */
  agentFirst: key((_s, _r, a, c) => `${a} < ${c} AND ${c} != ${NONE}`),
} as const;

export type Column = [alias: string, expr: string];

/** Aggregates over `cycle_facts_v2`, one row per cycle. */
export const rawColumns: Column[] = [
  ["channel", "max(channel_id)"], ["contact", "max(contact_id)"], ["team", "argMinMerge(team_at_start)"], ["territory", "max(territory)"],
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

/** Ownership changes (an event whose assignee differs from the previous one's), each until the next change. */
const changes = "arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners))";
/** Migration 0007 stores this very expression (over the same `owners`) as `cycle_rollup.stints`. */
const stints = `arrayFilter(s -> s.1 != ${NIL}, arrayMap((c, n) -> (c.3, c.1, n), ${changes},
  arrayResize(arrayPopFront(arrayMap(c -> c.1, ${changes})), length(${changes}), toInt64(-1))))`;

/** Only an agent's reopen puts an agent message before the customer's first: the one case FRT needs `responses`. */
const agentFirst = `first_agent_ms < first_customer_ms AND first_customer_ms != ${NONE}`;
/** A reply: an agent message right after a customer's (`msgs[0]` is the default tuple, kind 0). */
const replies = "arrayFilter((x, i) -> x.2 = 2 AND msgs[i - 1].2 = 1, msgs, arrayEnumerate(msgs))";
/** Migration 0008 stores these very expressions as `cycle_rollup` columns of the same names. */
const stored: Column[] = [
  // (assignee, from ms, to ms or -1): the spans between ownership changes (0007).
  ["stints", stints],
  // (wait ms, responding agent, run start ms, reply ms) for every answered run of customer messages, in order; a
  // run starts where the previous message was not the customer's.
  ["responses", `arrayMap((s, r) -> (r.1 - s.1, r.3, s.1, r.1),
    arraySlice(arrayFilter((x, i) -> x.2 = 1 AND msgs[i - 1].2 != 1, msgs, arrayEnumerate(msgs)), 1, length(${replies})), ${replies})`],
  // The exact first response: the fast path's two instants, or the first answered run when an agent wrote first.
  ["exact_frt", `if(${agentFirst}, if(length(responses) > 0, responses[1].1 / 1000, NULL),
    if(first_customer_ms != ${NONE} AND first_agent_ms != ${NONE} AND first_agent_ms >= first_customer_ms, (first_agent_ms - first_customer_ms) / 1000, NULL))`],
  ["exact_frt_agent", `if(${agentFirst}, if(length(responses) > 0, responses[1].2, ${NIL}), first_responder_agent)`],
  ["exact_frt_from_ms", `if(${agentFirst}, responses[1].3, first_customer_ms)`],
  ["exact_frt_to_ms", `if(${agentFirst}, responses[1].4, first_agent_ms)`],
  // Migration 0017: per agent of the cycle (agent, handled, answered runs, their waits ms, ended stints, their ms), and
  // the first and last instant of those runs and stints (none: the largest Int64, then its negative).
  ["agent_sums", `arrayMap(a -> (a, toUInt8(has(arrayIntersect(assignees, responders), a)),
      toUInt32(arrayCount(r -> r.2 = a, responses)), arraySum(arrayMap(r -> if(r.2 = a, r.1, 0), responses)),
      toUInt32(arrayCount(s -> s.1 = a AND s.3 != -1, stints)), arraySum(arrayMap(s -> if(s.1 = a AND s.3 != -1, s.3 - s.2, 0), stints))),
    arrayDistinct(arrayConcat(arrayIntersect(assignees, responders), arrayMap(r -> r.2, responses), arrayMap(s -> s.1, arrayFilter(s -> s.3 != -1, stints)))))`],
  // Migration 0020: the arrays' sizes alone, for counts (`length(msgs)` read every message under FINAL).
  ["msg_n", "length(msgs)"], ["responder_n", "length(responders)"],
  ["item_span", `(arrayMin(arrayConcat([toInt64(${NONE})], arrayMap(r -> r.3, responses), arrayMap(s -> s.3, arrayFilter(s -> s.3 != -1, stints)))),
    arrayMax(arrayConcat([toInt64(-${NONE})], arrayMap(r -> r.3, responses), arrayMap(s -> s.3, arrayFilter(s -> s.3 != -1, stints)))))`],
];

/**
 * Derived columns `cycle_rollup` stores (MATERIALIZED from its own columns): the rollup side reads them, the
 * hot side computes them over its aggregates. Each depends on raw columns and earlier stored ones only.
 */
export const storedInRollup = new Set(stored.map(([alias]) => alias));

/**
 * Per-cycle values derived from the aggregates, in dependency order. `frt` is the fast path (first agent message
 * after the first customer message), which the per-team average reads; `exact_frt*` is the catalog's FRT.
 */
export function derivedColumns(): Column[] {
  return [
    ["start_at", instant("started_ms_", NONE)], ["resolve_at", instant("resolved_ms_", "0")],
    ["first_customer", instant("first_customer_ms", NONE)], ["first_assign", instant("first_assigned_ms_", NONE)],
    ["prev_resolved_at", instant("previous_resolved_ms_", "0")],
    ...stored,
    ["frt", `if(first_customer_ms != ${NONE} AND first_agent_ms != ${NONE} AND first_agent_ms >= first_customer_ms, (first_agent_ms - first_customer_ms) / 1000, NULL)`],
    ["handlers", "arrayIntersect(assignees, responders)"],
    ["resolution_s", "(resolved_ms_ - started_ms_) / 1000"],
    ["assign_s", `if(first_assigned_ms_ = ${NONE}, NULL, (first_assigned_ms_ - started_ms_) / 1000)`],
  ];
}

