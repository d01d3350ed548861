-- Messages the pipeline refused, with the step and the reason, so nobody has to grep logs to find them.
-- `raw` is kept as received (the contract carries no personal data, so neither does a refused copy of it).
CREATE TABLE IF NOT EXISTS dead_letters
(
    received_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    source       LowCardinality(String),
    step         LowCardinality(String),
    reason       String,
    event_id     String,
    tenant_id    String,
    message_key  String,
    kafka_partition Int32,
    kafka_offset Int64,
    raw          String CODEC(ZSTD(3))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(received_at)
ORDER BY (received_at, source);
