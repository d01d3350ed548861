-- The agent sums (0018) per conversation tag too: every contribution of a cycle is written once under `tag` '' (what a
-- view with no tag filter reads, as before) and once under each tag of its cycle (`tag_set`), so a view of one tag reads
-- its whole hours and days summed like a view of one channel or team. Without it such a view read every cycle of its
-- range from the rollup, five times (the agent board at ~250 ms p50, 9.7M events, 30 days). A cycle's tags are a set:
-- a tagged contribution is in as many rows as its cycle has tags, and the rows grow with the tags a cycle has (1.16
-- times at bench size, 16% of cycles with one tag).
ALTER TABLE agent_time_sums ADD COLUMN IF NOT EXISTS tag String AFTER team, MODIFY ORDER BY (tenant_id, grain, at, agent, channel, team, tag);

-- The next compactor run writes every hour and day again, with their tags; until then queries read every cycle.
TRUNCATE TABLE IF EXISTS agent_time_sums_builds;
