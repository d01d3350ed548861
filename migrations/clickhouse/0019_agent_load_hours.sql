-- The workload board's sweep (online time, the chat-time integral, occupied time, most chats at once) per UTC hour and
-- agent, from presence and the compacted cycles' stints: the board swept every stint alive in its range (~750k points
-- at 9.7M events, 30 days) for ~200 agents, where these rows are 200 an hour. An hour's row is the sweep run over that
-- hour alone (presence as of its start, the stints covering it clipped to it): its times add up over hours, and its most
-- chats at once is the hour's, so a range of whole hours is their sums and the greatest of their maxima.
-- Written by the compactor (analytics `compactCycles`) after the rollup, before the run is recorded: each hour once it
-- ended before the run's watermark, and again, from then on, the hours of an agent of a rewritten cycle (from its first
-- ownership change) or with a presence change that arrived late (from that change). The newest `version` is the hour.
CREATE TABLE IF NOT EXISTS agent_load_hours
(
    tenant_id   UUID,
    hour        DateTime('UTC'),
    agent_id    UUID,
    online_ms   Int64,
    chat_ms     Int64,
    occupied_ms Int64,
    max_active  Int64,
    version     Int64
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, agent_id);

-- A row once the compactor has written every hour from the first presence change or stint up to its watermark (its
-- first run after this migration). Until then the board sweeps its whole range, as before.
CREATE TABLE IF NOT EXISTS agent_load_builds
(
    built_at DateTime64(3, 'UTC'),
    hours    UInt64
)
ENGINE = MergeTree
ORDER BY built_at;

-- Presence changes as they arrive (stamped by ClickHouse's clock, as `cycle_touches`): a change ingested after the
-- hours it falls in were written (a replay, an ingest outage) has those hours written again by the next run, and until
-- then queries sweep from it on.
CREATE TABLE IF NOT EXISTS presence_touches
(
    tenant_id   UUID,
    touched_at  DateTime64(3, 'UTC'),
    agent_id    UUID,
    occurred_ms Int64
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(touched_at)
ORDER BY (tenant_id, touched_at)
TTL toDateTime(touched_at) + INTERVAL 14 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS presence_touches_mv TO presence_touches AS
SELECT tenant_id, now64(3, 'UTC') AS touched_at, agent_id, toUnixTimestamp64Milli(occurred_at) AS occurred_ms
FROM events
WHERE type = 'agent.presence_changed';
