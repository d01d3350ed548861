-- The agent board's panels (all but handled, a count of distinct conversations) summed per UTC hour and per UTC day
-- (`grain`, `at` the bucket's start), agent, channel and team, from the compacted cycles: the board read every cycle
-- resolved, started or alive in its range (~360k at 9.7M events, 30 days) to group ~200 agents, where these rows are
-- ~900 a day and ~400 an hour. A range's whole UTC days are read by day, its other whole hours by hour (a supervisor's
-- local midnight in LATAM is 03:00–06:00 UTC, a whole hour), and only what falls in neither (a range end within an
-- hour, hot cycles) from the cycles. Each measure lands in the bucket of its own instant:
-- - resolves, at the resolve, to the assignee at resolve (`resolve_agent`, nil kept: CSAT, conversions and revenue
--   count resolves with no assignee, resolutions and their time do not);
-- - exact first responses (`exact_frt`, migration 0008), at the cycle's start, to who wrote them, with every value
--   kept (`frt_values`): the p90 is exact;
-- - reopens (within the window), at the resolve they reopen, to who resolved it (`prev_resolver`);
-- - answered customer runs (`responses`, 0008), at the run's start, to who answered, with their waits;
-- - ended stints (`stints`, 0007), at their end, to their agent, with their lengths.
-- Written by the compactor (analytics `compactCycles`) after the rollup, before the run is recorded: every hour an
-- instant of a rewritten cycle's facts falls in is written again whole, under a newer `version`, then those hours' days
-- from their hours; a key a bucket no longer has is written as zeros, so the newest version of each key is the bucket.
CREATE TABLE IF NOT EXISTS agent_time_sums
(
    tenant_id    UUID,
    grain        Enum8('hour' = 1, 'day' = 2),
    at           DateTime('UTC'),
    agent        UUID,
    channel      UUID,
    team         UUID,
    resolved     UInt32,
    resolution_s Float64,
    csat_n       UInt32,
    csat_sum     UInt64,
    won          UInt32,
    revenue      Map(String, Float64),
    frt_n        UInt32,
    frt_sum      Float64,
    frt_values   Array(Float64),
    reopened     UInt32,
    response_n   UInt32,
    response_ms  Int64,
    stint_n      UInt32,
    stint_ms     Int64,
    version      Int64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(at)
ORDER BY (tenant_id, grain, at, agent, channel, team);

-- A row once the compactor has written every hour and day from the rollup (its first run after this migration). Until
-- then queries read every cycle, as before.
CREATE TABLE IF NOT EXISTS agent_time_sums_builds
(
    built_at DateTime64(3, 'UTC'),
    days     UInt64
)
ENGINE = MergeTree
ORDER BY built_at;

-- The reopens the sums do not hold (a range's partial hours, hot hours) are found by the resolve they reopen, which a
-- reopen's start follows within the window: on this expression (a reopen's previous resolve, any other cycle's start)
-- the granules, sorted by start, have narrow ranges, so a read of reopens on a few hours skips the rest.
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS reopen_of_minmax if(is_reopen = 1, previous_resolved_ms_, started_ms_) TYPE minmax GRANULARITY 1;
ALTER TABLE cycle_rollup MATERIALIZE INDEX reopen_of_minmax;
