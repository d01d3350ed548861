-- Plain counts of `activity_hourly`'s id sets, per row key, for hours the compactor has finished: merging the
-- sets (uniqExactMerge) was most of the cost of every hourly panel (agent messages by agent at 9M events: 100 ms
-- from the sets, 14 ms from counts). The sets stay the truth: the compactor (analytics `compactCycles`) writes a
-- count of each key of an hour from them, and writes the whole hour again, under a newer `version`, whenever the
-- hour gets events after that. Queries read counts FINAL for the hours no event touched since the last run's
-- watermark and merge the sets for the others (the "hot" hours), so results never depend on when it last ran.
-- An hour's keys only grow (events are never removed), so its newest version replaces every row of an older one.
CREATE TABLE IF NOT EXISTS activity_counts
(
    tenant_id  UUID,
    hour       DateTime('UTC'),
    type       LowCardinality(String),
    detail     LowCardinality(String),
    agent_id   UUID,
    team_id    UUID,
    channel_id UUID,
    n          UInt64,
    version    Int64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, type, hour, detail, agent_id, team_id, channel_id);

-- Which hours received events when: the compactor's work list and the query-time hot set. Fed from `events`
-- inserts (the same blocks `activity_hourly_mv` reads), one row per tenant and hour per insert block, stamped
-- when the insert starts.
CREATE TABLE IF NOT EXISTS activity_touches
(
    tenant_id  UUID,
    touched_at DateTime64(3, 'UTC'),
    hour       DateTime('UTC')
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(touched_at)
ORDER BY (tenant_id, touched_at)
TTL toDateTime(touched_at) + INTERVAL 14 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_touches_mv TO activity_touches AS
SELECT tenant_id, now64(3, 'UTC') AS touched_at, toStartOfHour(occurred_at) AS hour
FROM events
GROUP BY tenant_id, hour;

-- One row per finished compaction of the counts. Until the first one, queries merge the sets for every hour.
CREATE TABLE IF NOT EXISTS activity_counts_runs
(
    ran_at    DateTime64(3, 'UTC'),
    watermark DateTime64(3, 'UTC'),
    hours     UInt64
)
ENGINE = MergeTree
ORDER BY ran_at;

-- Existing history: the counts of every hour so far (version 0: any compaction writes a newer one). Not a run:
-- queries read counts only after the compactor's first run, which recomputes every hour touched since this
-- table's view exists (all of them, on a database loaded after this migration).
INSERT INTO activity_counts
SELECT tenant_id, hour, type, detail, agent_id, team_id, channel_id, uniqExactMerge(events) AS n, toInt64(0) AS version
FROM activity_hourly
GROUP BY tenant_id, hour, type, detail, agent_id, team_id, channel_id;

-- One INSERT of the whole history leaves each month in several parts, which every FINAL read would merge again.
OPTIMIZE TABLE activity_counts FINAL;
