import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";

/** Admin CRUD for agents, teams, routing rules, channels and workspace settings. */
export function adminRoutes(_deps: AppDeps, _runFollowUps: FollowUpRunner) {
  return newRouter();
}
