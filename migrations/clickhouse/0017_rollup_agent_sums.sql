-- Each compacted cycle's work per agent, summed over the whole cycle, next to the arrays it comes from: the agent
-- board's handled, response-time and handle-time panels unpacked every answered run and every stint of each cycle of
-- the range into one row apiece (1.4M at 9.7M events) to group them by agent; these sums give one row per agent of
-- a cycle (~1 a cycle). A cycle whose items all fall inside the range contributes its sums as they are; the few
-- others (alive across either end of the range) have their items outside it taken back off, found through
-- `item_span` and its indexes. MATERIALIZED like `stints` (0007) and `responses` (0008): the compactor writes
-- nothing new, and the expressions are `agent_sums` and `item_span` of analytics' cycle-columns.ts, which computes
-- them the same way for hot cycles.
-- agent_sums: (agent, handled: 1 if the agent was assignee and wrote, answered runs, their waits in ms, ended stints,
-- their length in ms) for every agent among the cycle's handlers, responders to runs and owners of ended stints. A
-- stint still open (end -1) counts nowhere, as before: it has not ended in any range.
ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS agent_sums Array(Tuple(UUID, UInt8, UInt32, Int64, UInt32, Int64)) MATERIALIZED
    arrayMap(a -> (a, toUInt8(has(arrayIntersect(assignees, responders), a)),
            toUInt32(arrayCount(r -> r.2 = a, responses)), arraySum(arrayMap(r -> if(r.2 = a, r.1, 0), responses)),
            toUInt32(arrayCount(s -> s.1 = a AND s.3 != -1, stints)), arraySum(arrayMap(s -> if(s.1 = a AND s.3 != -1, s.3 - s.2, 0), stints))),
        arrayDistinct(arrayConcat(arrayIntersect(assignees, responders), arrayMap(r -> r.2, responses),
            arrayMap(s -> s.1, arrayFilter(s -> s.3 != -1, stints)))));

-- item_span: the first and last instant (ms) of the items those sums count (answered runs' starts, ended stints'
-- ends); (largest Int64, -largest) when there are none, which every range holds.
ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS item_span Tuple(Int64, Int64) MATERIALIZED
    (arrayMin(arrayConcat([toInt64(9223372036854775807)], arrayMap(r -> r.3, responses), arrayMap(s -> s.3, arrayFilter(s -> s.3 != -1, stints)))),
     arrayMax(arrayConcat([toInt64(-9223372036854775807)], arrayMap(r -> r.3, responses), arrayMap(s -> s.3, arrayFilter(s -> s.3 != -1, stints)))));

-- Cycles sorted by start have narrow item spans per granule, like their resolves (0005): the read of the cycles
-- with items outside a range skips every granule whose items all lie inside it.
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS item_first_minmax tupleElement(item_span, 1) TYPE minmax GRANULARITY 1;
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS item_last_minmax tupleElement(item_span, 2) TYPE minmax GRANULARITY 1;

ALTER TABLE cycle_rollup MATERIALIZE COLUMN agent_sums;
ALTER TABLE cycle_rollup MATERIALIZE COLUMN item_span;
ALTER TABLE cycle_rollup MATERIALIZE INDEX item_first_minmax;
ALTER TABLE cycle_rollup MATERIALIZE INDEX item_last_minmax;
