import { createRoute } from "@hono/zod-openapi";
import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";
import { IdParam, jsonBody, security } from "../schemas.js";
import { CreateTeamBody, MembersBody, UpdateTeamBody } from "../admin-schemas.js";
import { adminOnly, createdResponses, listResponses, oneResponses, tags } from "./admin-guard.js";
import { addTeam, listTeams, setMembers, updateTeam } from "../../domain/admin/teams.js";

type Json = Record<string, unknown>;

/** Teams with their schedule, strategy and members. Everyone may list them; only admins change them. */
export function adminTeamRoutes(deps: AppDeps, runFollowUps: FollowUpRunner) {
  const app = newRouter();
  const done = async (out: { result: unknown; followUps: Parameters<FollowUpRunner>[0] }) => {
    await runFollowUps(out.followUps);
    return out.result as Json;
  };

  app.openapi(createRoute({ method: "get", path: "/teams", summary: "The workspace's teams with their members", tags, security,
    responses: listResponses("team") }),
    async (c) => c.json({ items: await listTeams(deps.db, c.var.actor) as Json[] }, 200));

  app.openapi(createRoute({ method: "post", path: "/teams", summary: "Create a team (admins)", tags, security, middleware: [adminOnly],
    request: { body: jsonBody(CreateTeamBody) }, responses: createdResponses("team") }),
    async (c) => c.json(await done(await addTeam(deps, c.var.actor, c.req.valid("json"))), 201));

  app.openapi(createRoute({ method: "patch", path: "/teams/{id}", summary: "Edit a team's settings (admins)", tags, security, middleware: [adminOnly],
    request: { params: IdParam, body: jsonBody(UpdateTeamBody) }, responses: oneResponses("The team") }),
    async (c) => c.json(await done(await updateTeam(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json"))), 200));

  app.openapi(createRoute({ method: "put", path: "/teams/{id}/members", summary: "Replace a team's members, in rotation order (admins)", tags, security,
    middleware: [adminOnly], request: { params: IdParam, body: jsonBody(MembersBody) }, responses: oneResponses("The team") }),
    async (c) => c.json(await done(await setMembers(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").members)), 200));

  return app;
}
