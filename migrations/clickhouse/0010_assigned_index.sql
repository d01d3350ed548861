-- The instant each compacted cycle was first assigned (0 when never: the stored "absent" value is the largest Int64,
-- which would widen every granule's range to the end of time), indexed: the live board's queue wait reads the
-- cycles first assigned in the last hour, a test the sort key (start) cannot prune, so it read every cycle's
-- columns (~30 ms at 9M events). Cycles are assigned soon after they start, so granules sorted by start have
-- narrow ranges (`cycleKeys.assignedLastHour` writes the test on this very expression).
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS assigned_minmax
    if(first_assigned_ms_ = 9223372036854775807, 0, first_assigned_ms_) TYPE minmax GRANULARITY 1;

ALTER TABLE cycle_rollup MATERIALIZE INDEX assigned_minmax;
