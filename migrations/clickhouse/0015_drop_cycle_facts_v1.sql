-- The old `cycle_facts` and the views around it, once 0014 has its successor fed and filled. The view into it
-- goes first, so nothing reaches the old table (or the views fed from it) afterwards.
DROP VIEW IF EXISTS cycle_facts_mv;
DROP VIEW IF EXISTS cycle_touches_mv;
DROP VIEW IF EXISTS conversation_territories_mv;
DROP TABLE IF EXISTS cycle_facts;
