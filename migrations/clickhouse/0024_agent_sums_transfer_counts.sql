-- Transfers out (to their source agent) and in (to their target) per bucket of `agent_time_sums` (0018), under their
-- cycle's channel and team: the agent board's transfer counts of a filtered view (a supervisor's teams, a channel)
-- found each transfer's cycle among every cycle alive in the range (~45 ms at 9.7M events, 30 days) where these
-- rows are ~900 a day. Written by the compactor with the other measures, from `transfers` (0006) and the rollup.
ALTER TABLE agent_time_sums ADD COLUMN IF NOT EXISTS xfer_out_n UInt32 DEFAULT 0 AFTER xfer_ms, ADD COLUMN IF NOT EXISTS xfer_in_n UInt32 DEFAULT 0 AFTER xfer_out_n;

-- Rows written before these columns hold no transfer: the sums are built again whole by the next compaction run
-- (`compactAgentTimeSums` builds every bucket while `agent_time_sums_builds` is empty), and until then queries read
-- the cycles, as before 0018 (slower, never wrong).
TRUNCATE TABLE IF EXISTS agent_time_sums_builds;
