-- Each compacted cycle's answered customer runs and its exact first response, kept next to the message timeline
-- they come from: the response-time and first-response panels read them for every cycle of a range, and
-- unpacking `msgs` per query (and a second pass over the agent-first cycles for the exact FRT) was most of their
-- cost. MATERIALIZED like `stints` (0007): the compactor writes nothing new, a part written before this column
-- existed computes it on read until MATERIALIZE COLUMN has rewritten it, so a value never differs from the one
-- computed from `msgs`. The expressions are `responses` and `exact_frt*` of analytics' cycle-columns.ts (which
-- computes them the same way for hot cycles).
-- responses: (wait ms, responding agent, run start ms, reply ms) for every run of customer messages answered by
-- an agent message; a run starts where the previous message was not the customer's (msgs[0] is the default).
ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS responses Array(Tuple(Int64, UUID, Int64, Int64)) MATERIALIZED
    arrayMap((s, r) -> (r.1 - s.1, r.3, s.1, r.1),
        arraySlice(arrayFilter((x, i) -> x.2 = 1 AND msgs[i - 1].2 != 1, msgs, arrayEnumerate(msgs)), 1,
            length(arrayFilter((x, i) -> x.2 = 2 AND msgs[i - 1].2 = 1, msgs, arrayEnumerate(msgs)))),
        arrayFilter((x, i) -> x.2 = 2 AND msgs[i - 1].2 = 1, msgs, arrayEnumerate(msgs)));

-- The exact first response: the first agent message after the first customer message (two stored instants),
-- except when an agent wrote first (an agent's reopen), where it is the first answered run.
ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS exact_frt Nullable(Float64) MATERIALIZED
    if(first_agent_ms < first_customer_ms AND first_customer_ms != 9223372036854775807,
        if(length(responses) > 0, responses[1].1 / 1000, NULL),
        if(first_customer_ms != 9223372036854775807 AND first_agent_ms != 9223372036854775807 AND first_agent_ms >= first_customer_ms,
            (first_agent_ms - first_customer_ms) / 1000, NULL));

ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS exact_frt_agent UUID MATERIALIZED
    if(first_agent_ms < first_customer_ms AND first_customer_ms != 9223372036854775807,
        if(length(responses) > 0, responses[1].2, toUUIDOrZero('')), first_responder_agent);

ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS exact_frt_from_ms Int64 MATERIALIZED
    if(first_agent_ms < first_customer_ms AND first_customer_ms != 9223372036854775807, responses[1].3, first_customer_ms);

ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS exact_frt_to_ms Int64 MATERIALIZED
    if(first_agent_ms < first_customer_ms AND first_customer_ms != 9223372036854775807, responses[1].4, first_agent_ms);

ALTER TABLE cycle_rollup MATERIALIZE COLUMN responses;
ALTER TABLE cycle_rollup MATERIALIZE COLUMN exact_frt;
ALTER TABLE cycle_rollup MATERIALIZE COLUMN exact_frt_agent;
ALTER TABLE cycle_rollup MATERIALIZE COLUMN exact_frt_from_ms;
ALTER TABLE cycle_rollup MATERIALIZE COLUMN exact_frt_to_ms;

-- The last instant a cycle was alive (its resolve, or its start if the resolve is stamped earlier; the largest
-- Int64 while open), indexed: the response-time pass reads the cycles started in a range or alive in it, a test
-- the sort key (start) and the resolve index cannot prune together, this index can (`cycleKeys.startedOrOverlapping`).
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS alive_until_minmax
    if(resolved_ms_ = 0, 9223372036854775807, greatest(started_ms_, resolved_ms_)) TYPE minmax GRANULARITY 1;

ALTER TABLE cycle_rollup MATERIALIZE INDEX alive_until_minmax;
