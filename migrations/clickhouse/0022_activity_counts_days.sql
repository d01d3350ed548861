-- `activity_counts` (0009) summed per UTC day: the agent board's messages sent and notes written read every hour of
-- their range (~300k rows for 30 days at bench size, 24–28 ms under FINAL), where a day's rows are ~1/24 of them.
-- Written by the hourly counts' compactor (analytics `compactActivityHours`) from the hours it has written, for the
-- days of the hours it rewrites, before it records its run: a day with an hour touched since (hot) is read by hours.
-- Counts only grow and a key stays a key, so the newest version of each key is the day.
CREATE TABLE IF NOT EXISTS activity_counts_days
(
    tenant_id  UUID,
    day        DateTime('UTC'),
    type       LowCardinality(String),
    detail     LowCardinality(String),
    agent_id   UUID,
    team_id    UUID,
    channel_id UUID,
    n          UInt64,
    version    Int64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(day)
ORDER BY (tenant_id, type, day, detail, agent_id, team_id, channel_id);

-- A row once the compactor has written every day from the hours (its first run after this migration): the hours'
-- touches expire after 14 days, so older days are built from every hour once. Until then queries read the hours.
CREATE TABLE IF NOT EXISTS activity_counts_days_builds
(
    built_at DateTime64(3, 'UTC'),
    days     UInt64
)
ENGINE = MergeTree
ORDER BY built_at;
