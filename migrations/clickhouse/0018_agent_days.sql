-- The agent board's panels (all but handled, a count of distinct conversations) summed per UTC day, agent, channel
-- and team, from the compacted cycles: the board read every cycle resolved, started or alive in its range (~360k at
-- 9.7M events, 30 days) to group ~200 agents, where these rows are ~900 a day. Each measure lands on the day of its
-- own instant:
-- - resolves, on the resolve's day, to the assignee at resolve (`resolve_agent`, nil kept: CSAT, conversions and
--   revenue count resolves with no assignee, resolutions and their time do not);
-- - exact first responses (`exact_frt`, migration 0008), on the cycle's start day, to who wrote them, with every
--   value kept (`frt_values`): the p90 is exact;
-- - reopens (within the window), on the day of the resolve they reopen, to who resolved it (`prev_resolver`);
-- - answered customer runs (`responses`, 0008), on the run's start day, to who answered, with their waits;
-- - ended stints (`stints`, 0007), on their end day, to their agent, with their lengths.
-- Written by the compactor (analytics `compactCycles`) after the rollup, before the run is recorded: every day an
-- instant of a rewritten cycle's facts falls on is written again whole, under a newer `version`; a key the day no
-- longer has is written as zeros, so the newest version of each key is the day. Queries read whole days before the
-- earliest instant of the hot cycles' facts from here, and the rest (the range's partial days, hot days) from the cycles.
CREATE TABLE IF NOT EXISTS agent_days
(
    tenant_id    UUID,
    day          Date,
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
PARTITION BY toYYYYMM(day)
ORDER BY (tenant_id, day, agent, channel, team);

-- The same per UTC hour, for the ends of a range that are not UTC midnights: a supervisor's local midnight in LATAM is
-- 03:00–06:00 UTC, so a range of local days has up to 23 hours of a UTC day at each end. Whole hours from here, whole
-- days from `agent_days`, and only what falls in neither (a range end within an hour, hot cycles) from the cycles.
CREATE TABLE IF NOT EXISTS agent_hours
(
    tenant_id    UUID,
    hour         DateTime('UTC'),
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
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, agent, channel, team);

-- A row once the compactor has written every day and hour from the rollup (its first run after this migration). Until then
-- queries read every cycle, as before.
CREATE TABLE IF NOT EXISTS agent_days_builds
(
    built_at DateTime64(3, 'UTC'),
    days     UInt64
)
ENGINE = MergeTree
ORDER BY built_at;

-- The reopens the days do not hold (the range's partial days, hot days) are found by the resolve they reopen, which a
-- reopen's start follows within the window: on this expression (a reopen's previous resolve, any other cycle's start)
-- the granules, sorted by start, have narrow ranges, so a read of reopens on a few days skips the rest.
ALTER TABLE cycle_rollup ADD INDEX IF NOT EXISTS reopen_of_minmax if(is_reopen = 1, previous_resolved_ms_, started_ms_) TYPE minmax GRANULARITY 1;
ALTER TABLE cycle_rollup MATERIALIZE INDEX reopen_of_minmax;
