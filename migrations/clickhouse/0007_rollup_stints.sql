-- Each compacted cycle's ownership stints, (assignee, from ms, to ms or -1 while open), kept next to the
-- ownership timeline they come from: handle time, time before transfer and the workload sweep read them for
-- every cycle of a range, and unpacking them per query was most of the sweep's cost. MATERIALIZED from
-- `owners`, so the compactor writes nothing new and a part written before this column existed computes it on
-- read until MATERIALIZE COLUMN has rewritten it: the value never differs from the one computed from `owners`.
-- The expression is `stints` of analytics' cycle-columns.ts (which computes it the same way for hot cycles):
-- the owner changes (an ownership event whose assignee differs from the previous one), each lasting until the
-- next change (-1 after the last), without the spans of nobody (nil assignee).
ALTER TABLE cycle_rollup ADD COLUMN IF NOT EXISTS stints Array(Tuple(UUID, Int64, Int64)) MATERIALIZED
    arrayFilter(s -> s.1 != toUUIDOrZero(''), arrayMap((c, n) -> (c.3, c.1, n),
        arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners)),
        arrayResize(arrayPopFront(arrayMap(c -> c.1, arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners)))),
            length(arrayFilter((o, i) -> i = 1 OR o.3 != owners[i - 1].3, owners, arrayEnumerate(owners))), toInt64(-1))));

ALTER TABLE cycle_rollup MATERIALIZE COLUMN stints;
