-- The agent sums (0018, 0025) per conversation territory too: every contribution of a cycle with a territory (the
-- conversation's, which the rollup stores, 0013) is written once more under `territory`, with `tag` '' (a view filtered
-- by both a tag and a territory reads the cycles). A view with no territory filter reads `territory` ''. Without it a
-- territory's view of the agent board read every cycle of its range from the rollup (185–235 ms p50 at 9.7M events, 30
-- days). A late opening can change the territory of a conversation's compacted cycles: until the next run writes their
-- hours again, a territory's view reads every hour from the earliest fact of a conversation with a hot cycle from the
-- cycles (analytics `RollupState.hotConversationsFloorMs`).
ALTER TABLE agent_time_sums ADD COLUMN IF NOT EXISTS territory String AFTER tag, MODIFY ORDER BY (tenant_id, grain, at, agent, channel, team, tag, territory);

-- The next compactor run writes every hour and day again, with their territories; until then queries read every cycle.
TRUNCATE TABLE IF EXISTS agent_time_sums_builds;
