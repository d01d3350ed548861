-- tenants.config_version moves whenever a workspace's routing configuration changes, from any code path
-- (admin API, seeds, manual fixes), so the router can cache teams and rules per version. Teams fire only for
-- the columns routing reads: the round-robin pointer moves on every assignment and is not configuration.
-- A column added to teams that routing reads must be added to the trigger's column list.
CREATE OR REPLACE FUNCTION centralita_bump_config_version() RETURNS trigger AS $$
BEGIN
  UPDATE tenants SET config_version = config_version + 1
  WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
  IF TG_OP = 'UPDATE' AND OLD.tenant_id <> NEW.tenant_id THEN
    UPDATE tenants SET config_version = config_version + 1 WHERE id = OLD.tenant_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER routing_rules_config_version
  AFTER INSERT OR DELETE OR UPDATE ON routing_rules
  FOR EACH ROW EXECUTE FUNCTION centralita_bump_config_version();
--> statement-breakpoint
CREATE TRIGGER teams_config_version
  AFTER INSERT OR DELETE OR UPDATE OF tenant_id, name, department, time_zone, business_hours, holidays, strategy, sticky,
    agents_see_all, is_sales, away_message, first_response_target_seconds ON teams
  FOR EACH ROW EXECUTE FUNCTION centralita_bump_config_version();
