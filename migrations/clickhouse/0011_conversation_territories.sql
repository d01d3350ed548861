-- Each conversation's territory (the greatest any of its cycles has: only an opening sets one), keyed by
-- conversation: the territory panels look up the territory of the range's reopened cycles (cycle > 1 holds none of
-- its own), and reading it from `cycle_facts` by conversation cost ~110 ms at 9M events (the facts are wide rows
-- of aggregate states). A max is idempotent, so a redelivery or the backfill copying rows the view already copied
-- changes nothing, and unmerged rows read right through max(). No time column: like `cycle_facts`, one
-- unpartitioned table (a conversation's row must merge whatever month its cycles started in).
CREATE TABLE IF NOT EXISTS conversation_territories
(
    tenant_id       UUID,
    conversation_id UUID,
    territory       SimpleAggregateFunction(max, String),
    -- The greatest of its cycles past the first (none, unless an opening is ever counted past cycle 1).
    later_territory SimpleAggregateFunction(max, String),
    -- The latest start or resolve of a cycle past the first (0: never reopened). A cycle started or resolved in a
    -- range has its start or its resolve in it, so `reopened_ms >= from` finds every conversation such a cycle
    -- belongs to (and a few reopened since), without reading the cycles.
    reopened_ms     SimpleAggregateFunction(max, Int64)
)
ENGINE = AggregatingMergeTree
ORDER BY (tenant_id, conversation_id);

-- Fed from the blocks `cycle_facts_mv` writes (already one row per cycle of the insert; a block without the
-- cycle's start holds the largest Int64 as its start, read here as none). Conversations with no territory that
-- never reopened are left out.
CREATE MATERIALIZED VIEW IF NOT EXISTS conversation_territories_mv TO conversation_territories AS
SELECT tenant_id, conversation_id, max(cycle_facts.territory) AS territory, max(if(cycle > 1, cycle_facts.territory, '')) AS later_territory,
    max(if(cycle > 1, greatest(if(started_ms = 9223372036854775807, 0, started_ms), resolved_ms), 0)) AS reopened_ms
FROM cycle_facts
GROUP BY tenant_id, conversation_id
HAVING territory != '' OR reopened_ms > 0;

-- Existing history (nothing on an empty database).
INSERT INTO conversation_territories
SELECT tenant_id, conversation_id, max(cycle_facts.territory) AS territory, max(if(cycle > 1, cycle_facts.territory, '')) AS later_territory,
    max(if(cycle > 1, greatest(if(started_ms = 9223372036854775807, 0, started_ms), resolved_ms), 0)) AS reopened_ms
FROM cycle_facts
GROUP BY tenant_id, conversation_id
HAVING territory != '' OR reopened_ms > 0;

OPTIMIZE TABLE conversation_territories FINAL;
