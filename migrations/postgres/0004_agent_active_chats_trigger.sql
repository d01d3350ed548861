-- agents.active_chats = the agent's open and pending conversations, maintained by the database itself so
-- that every code path (commands, automation jobs, imports, manual fixes) keeps it exact.
CREATE OR REPLACE FUNCTION centralita_track_active_chats() RETURNS trigger AS $$
DECLARE
  old_agent uuid := CASE WHEN TG_OP <> 'INSERT' AND OLD.status <> 'resolved' THEN OLD.assignee_id END;
  new_agent uuid := CASE WHEN TG_OP <> 'DELETE' AND NEW.status <> 'resolved' THEN NEW.assignee_id END;
BEGIN
  IF old_agent IS NOT DISTINCT FROM new_agent THEN
    RETURN NULL;
  END IF;
  IF old_agent IS NOT NULL THEN
    UPDATE agents SET active_chats = active_chats - 1 WHERE id = old_agent;
  END IF;
  IF new_agent IS NOT NULL THEN
    UPDATE agents SET active_chats = active_chats + 1 WHERE id = new_agent;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER conversations_track_active_chats
  AFTER INSERT OR DELETE OR UPDATE OF assignee_id, status ON conversations
  FOR EACH ROW EXECUTE FUNCTION centralita_track_active_chats();
--> statement-breakpoint
UPDATE agents a SET active_chats = (
  SELECT count(*) FROM conversations c WHERE c.assignee_id = a.id AND c.status <> 'resolved'
);
