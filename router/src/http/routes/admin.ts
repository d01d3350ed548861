import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";
import { adminAgentRoutes } from "./admin-agents.js";
import { adminTeamRoutes } from "./admin-teams.js";
import { adminSettingsRoutes } from "./admin-settings.js";

/** Admin CRUD for agents, teams, routing rules, channels and workspace settings. */
export function adminRoutes(deps: AppDeps, runFollowUps: FollowUpRunner) {
  const app = newRouter();
  app.route("/", adminAgentRoutes(deps, runFollowUps));
  app.route("/", adminTeamRoutes(deps, runFollowUps));
  app.route("/", adminSettingsRoutes(deps));
  return app;
}
