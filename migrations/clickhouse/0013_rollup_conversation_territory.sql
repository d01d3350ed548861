-- `cycle_rollup.territory` now holds the conversation's territory, not only the cycle's own: the greatest of the
-- cycle's own (cycle 1) or the conversation's (`conversation_territories`, migration 0011) and any set past cycle 1,
-- as the territory panels define it. A reopened cycle holds none of its own, so the teams board joined every cycle
-- of its range to `conversation_territories` FINAL to find it: 156 of its 160 ms p50 at 9.7M events went to that
-- join, 58 without it. The compactor now looks the territory up when it writes a cycle (analytics'
-- `rollup/compact.ts`), and rewrites every cycle of a conversation whose territory facts changed; the board looks
-- it up only for conversations with a hot cycle.
--
-- Cycles compacted before this migration hold their own territory: each whose stored value differs from the
-- conversation's is written again as a newer version (the compactor's versions are run instants in ms, far above
-- any version + 1, so a later compaction still wins). `*` leaves out the MATERIALIZED columns, recomputed on insert.
INSERT INTO cycle_rollup
SELECT r.* REPLACE (r.version + 1 AS version, greatest(if(r.cycle = 1, r.territory, t.terr), t.later) AS territory)
FROM cycle_rollup AS r FINAL
INNER JOIN (
    SELECT tenant_id, conversation_id, max(territory) AS terr, max(later_territory) AS later
    FROM conversation_territories
    GROUP BY tenant_id, conversation_id
) AS t ON t.tenant_id = r.tenant_id AND t.conversation_id = r.conversation_id
WHERE greatest(if(r.cycle = 1, r.territory, t.terr), t.later) != r.territory;
