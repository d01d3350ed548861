-- The stints a transfer ended (same cycle, the transfer's source agent, the transfer's instant), counted and summed next
-- to every ended stint in `agent_time_sums` (0018): the transfers board's time before transfer read every stint of the
-- cycles with a transfer alive in its range and looked each up among the range's transfers (~60 ms of the board at 9.7M
-- events, 30 days), where the sums are ~900 rows a day. Written by the compactor with the other measures, looked up in
-- `transfers` (0006) when it writes a stint's hour.
ALTER TABLE agent_time_sums ADD COLUMN IF NOT EXISTS xfer_n UInt32 DEFAULT 0 AFTER stint_ms;
ALTER TABLE agent_time_sums ADD COLUMN IF NOT EXISTS xfer_ms Int64 DEFAULT 0 AFTER xfer_n;

-- Rows written before these columns hold no transfer: the sums are built again whole by the next compaction run
-- (`compactAgentTimeSums` builds every bucket while `agent_time_sums_builds` is empty), and until then queries read
-- the cycles, as before 0018 (slower, never wrong).
TRUNCATE TABLE IF EXISTS agent_time_sums_builds;
