-- Every event of the contract, once per id. ReplacingMergeTree collapses redeliveries (same id → same sort key)
-- at merge time; queries must not rely on merges having happened (FINAL, or aggregate by id).
-- Absent ids (an event without a conversation, say) are the nil UUID so the sort key stays non-nullable.
CREATE TABLE IF NOT EXISTS events
(
    tenant_id       UUID,
    type            LowCardinality(String),
    occurred_at     DateTime64(3, 'UTC'),
    id              UUID,
    version         UInt16,
    conversation_id UUID,
    channel_id      UUID,
    contact_id      UUID,
    agent_id        UUID,
    team_id         UUID,
    payload         String CODEC(ZSTD(3)),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (tenant_id, type, occurred_at, id);
