-- The active-chats trigger also stamps agents.last_assigned_at (least loaded's "idle longest" tie-break) when a
-- conversation gets a new assignee, from the conversation's assigned_at: an assignment then writes the agent's
-- row once instead of twice, and can be one statement (a statement must not update a row its trigger updates).
CREATE OR REPLACE FUNCTION centralita_track_active_chats() RETURNS trigger AS $$
DECLARE
  old_agent uuid := CASE WHEN TG_OP <> 'INSERT' AND OLD.status <> 'resolved' THEN OLD.assignee_id END;
  new_agent uuid := CASE WHEN TG_OP <> 'DELETE' AND NEW.status <> 'resolved' THEN NEW.assignee_id END;
  newly_assigned boolean := TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.assignee_id IS DISTINCT FROM OLD.assignee_id);
BEGIN
  IF old_agent IS NOT DISTINCT FROM new_agent THEN
    RETURN NULL;
  END IF;
  IF old_agent IS NOT NULL THEN
    UPDATE agents SET active_chats = active_chats - 1 WHERE id = old_agent;
  END IF;
  IF new_agent IS NOT NULL THEN
    UPDATE agents SET active_chats = active_chats + 1,
      last_assigned_at = CASE WHEN newly_assigned THEN greatest(last_assigned_at, NEW.assigned_at) ELSE last_assigned_at END
    WHERE id = new_agent;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
