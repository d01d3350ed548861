-- Each agent's last presence and capacity change per UTC day: "as of t" is the greatest change over the days before
-- t's day, here, and over t's own day up to t, from `events`. Read from `events` alone, the latest presence before
-- a dashboard's "now" (live) or range start (workload) was an argMax over every presence change in history (72k
-- rows at 9M events, ~25 ms a board). `latest` is (instant in ms, event id as text, the payload's raw `to`): the
-- greatest tuple is the argMax by (occurred_at, id) the queries always used, and a max is idempotent, so a
-- redelivery, unmerged rows or the backfill copying rows the view already copied change nothing.
CREATE TABLE IF NOT EXISTS agent_state_days
(
    tenant_id UUID,
    type      LowCardinality(String),
    agent_id  UUID,
    day       Date,
    latest    SimpleAggregateFunction(max, Tuple(Int64, String, String))
)
ENGINE = AggregatingMergeTree
ORDER BY (tenant_id, type, agent_id, day);

CREATE MATERIALIZED VIEW IF NOT EXISTS agent_state_days_mv TO agent_state_days AS
SELECT tenant_id, type, agent_id, toDate(occurred_at, 'UTC') AS day,
    max((toUnixTimestamp64Milli(occurred_at), toString(id), JSONExtractRaw(payload, 'to'))) AS latest
FROM events
WHERE type IN ('agent.presence_changed', 'agent.capacity_changed')
GROUP BY tenant_id, type, agent_id, day;

-- Existing history (nothing on an empty database).
INSERT INTO agent_state_days
SELECT tenant_id, type, agent_id, toDate(occurred_at, 'UTC') AS day,
    max((toUnixTimestamp64Milli(occurred_at), toString(id), JSONExtractRaw(payload, 'to'))) AS latest
FROM events
WHERE type IN ('agent.presence_changed', 'agent.capacity_changed')
GROUP BY tenant_id, type, agent_id, day;
