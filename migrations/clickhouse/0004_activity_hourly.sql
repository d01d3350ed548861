-- Per-agent (and per-team, per-channel) hourly time buckets of event counts: messages by sender, notes,
-- assignments by method, message statuses, resolutions by outcome, presence changes. Counts are
-- uniqExact of event ids, so a duplicate row in `events` cannot inflate them; an event always lands in the
-- same group, so summing the groups' exact counts stays exact. Day and week buckets in any whole-hour zone
-- are sums of these hours.
CREATE TABLE IF NOT EXISTS activity_hourly
(
    tenant_id  UUID,
    hour       DateTime('UTC'),
    type       LowCardinality(String),
    -- message.sent: sender; conversation.assigned: method; message.status: status; conversation.resolved:
    -- outcome; agent.presence_changed: new presence; otherwise empty.
    detail     LowCardinality(String),
    agent_id   UUID,
    team_id    UUID,
    channel_id UUID,
    events     AggregateFunction(uniqExact, UUID)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, type, hour, detail, agent_id, team_id, channel_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS activity_hourly_mv TO activity_hourly AS
SELECT
    tenant_id,
    toStartOfHour(occurred_at) AS hour,
    type,
    multiIf(
        type = 'message.sent', p.sender,
        type = 'conversation.assigned', p.method,
        type = 'message.status', p.status,
        type = 'conversation.resolved', p.outcome,
        type = 'agent.presence_changed', p.to,
        '') AS detail,
    agent_id,
    team_id,
    channel_id,
    uniqExactState(id) AS events
FROM
(
    SELECT tenant_id, occurred_at, type, id, agent_id, team_id, channel_id,
        JSONExtract(payload, 'Tuple(sender String, method String, status String, outcome String, to String)') AS p
    FROM events
)
GROUP BY tenant_id, hour, type, detail, agent_id, team_id, channel_id;
