-- A compacted copy of `cycle_facts`: one finished row per cycle, sorted by when the cycle started, so a
-- dashboard reads only the cycles of its range instead of re-aggregating every cycle the tenant ever had.
-- The compactor (analytics `compactCycles`) writes a cycle again whenever it has new facts; the newest
-- `version` wins (queries read it with FINAL). A cycle is written only once its start is known, so its sort
-- key never changes; cycles touched after the last run's watermark are re-aggregated from `cycle_facts` at
-- query time instead, so results never depend on when the compactor last ran.
CREATE TABLE IF NOT EXISTS cycle_rollup
(
    tenant_id             UUID,
    started_ms_           Int64,
    conversation_id       UUID,
    cycle                 UInt32,
    version               Int64,
    channel               UUID,
    contact               UUID,
    team                  UUID,
    territory             String,
    resolved_ms_          Int64,
    first_customer_ms     Int64,
    first_agent_ms        Int64,
    first_responder_agent UUID,
    first_assigned_ms_    Int64,
    previous_resolved_ms_ Int64,
    is_reopen             UInt8,
    is_agent_reopen       UInt8,
    prev_resolver         UUID,
    lead                  UInt8,
    ooh                   UInt8,
    new_contact           UInt8,
    dept                  String,
    result                String,
    resolved_via          String,
    resolve_agent         UUID,
    deal                  Float64,
    cur                   String,
    loss                  String,
    csat_asked            UInt8,
    csat                  UInt8,
    breached              UInt8,
    tag_set               Array(String),
    assignees             Array(UUID),
    responders            Array(UUID),
    msgs                  Array(Tuple(Int64, UInt8, UUID, UUID)),
    owners                Array(Tuple(Int64, String, UUID, String)),
    transfer_n            UInt64,
    escalation_n          UInt64,
    automated_n           UInt64,
    -- Cycles resolve soon after they start, so granules sorted by start have narrow resolve ranges: queries for
    -- what resolved in, or was still open during, a range skip the months before it.
    INDEX resolved_minmax resolved_ms_ TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(fromUnixTimestamp64Milli(started_ms_, 'UTC'))
ORDER BY (tenant_id, started_ms_, conversation_id, cycle);

-- Which cycles received facts when: the compactor's work list, and the query-time "hot" set (cycles touched
-- since the last watermark). Fed from `cycle_facts` inserts, so one row per cycle per insert block.
CREATE TABLE IF NOT EXISTS cycle_touches
(
    tenant_id       UUID,
    touched_at      DateTime64(3, 'UTC'),
    conversation_id UUID,
    cycle           UInt32
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(touched_at)
ORDER BY (tenant_id, touched_at)
TTL toDateTime(touched_at) + INTERVAL 14 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS cycle_touches_mv TO cycle_touches AS
SELECT tenant_id, now64(3, 'UTC') AS touched_at, conversation_id, cycle
FROM cycle_facts;

-- Cycles the compactor saw without a start event (their facts arrived first, or the start was lost): they are
-- never written to the rollup (the sort key needs the start), and queries always re-aggregate them.
CREATE TABLE IF NOT EXISTS cycle_rollup_pending
(
    tenant_id       UUID,
    conversation_id UUID,
    cycle           UInt32
)
ENGINE = ReplacingMergeTree
ORDER BY (tenant_id, conversation_id, cycle);

-- One row per finished compactor run: every cycle touched before `watermark` is in the rollup (or pending).
CREATE TABLE IF NOT EXISTS cycle_rollup_runs
(
    ran_at    DateTime64(3, 'UTC'),
    watermark DateTime64(3, 'UTC'),
    cycles    UInt64
)
ENGINE = MergeTree
ORDER BY ran_at;
