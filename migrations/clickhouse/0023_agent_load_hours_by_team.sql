-- The workload board's hours (0019) per team too: a supervisor sees only his teams (the web app passes them), and with a
-- team the board swept its whole range (~750k points at 9.7M events, 30 days: 50 ms more than the hours). An hour's
-- row of an agent and a team is the sweep of that hour over the agent's presence and that team's chats only: chat time,
-- occupied time and most chats at once of the team's cycles (`cycle_rollup.team`, the cycles the board's team filter
-- keeps), online time 0 (it is the agent's, on his row of every team, `team` nil). A view of one team reads its rows and
-- the agents' online time; several teams' occupied time and maxima do not add up, and are swept as before.
-- Rows of before this key are every team's (nil). The hours are written again whole by the next compaction run
-- (`compactAgentLoad` builds every hour while `agent_load_builds` is empty), and until then the board sweeps.
ALTER TABLE agent_load_hours ADD COLUMN IF NOT EXISTS team UUID AFTER agent_id, MODIFY ORDER BY (tenant_id, hour, agent_id, team);

TRUNCATE TABLE IF EXISTS agent_load_builds;
