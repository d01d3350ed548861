-- The agent sums (0018, 0025, 0026) per tag and territory together: every contribution of a cycle with a territory is
-- written once more under each of its cycle's tags with that territory, so a view filtered by both a tag and a
-- territory reads them summed, as a view of either does. It read every cycle of its range from the rollup (the agent
-- board 289 ms p50 at 9.7M events, 30 days, against 166 with the tag alone and 173 with the territory alone). The
-- extra rows are as many as the tag rows (0025): a cycle has one territory.

-- The next compactor run writes every hour and day again, with the new keys; until then queries read every cycle.
TRUNCATE TABLE IF EXISTS agent_time_sums_builds;
