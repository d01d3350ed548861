import { createRoute } from "@hono/zod-openapi";
import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";
import { IdParam, jsonBody, security } from "../schemas.js";
import { AgentListQuery, CreateAgentBody, PasswordBody, UpdateAgentBody } from "../admin-schemas.js";
import { adminOnly, createdResponses, listResponses, oneResponses, tags } from "./admin-guard.js";
import { getAgent, listAgents } from "../../domain/admin/agent-queries.js";
import { addAgent, resetPassword, updateAgent } from "../../domain/admin/agents.js";

type Json = Record<string, unknown>;

/** People of the workspace. Everyone may list them (to transfer); only admins change them. */
export function adminAgentRoutes(deps: AppDeps, runFollowUps: FollowUpRunner) {
  const app = newRouter();

  app.openapi(createRoute({ method: "get", path: "/agents", summary: "The workspace's agents (agents get a directory view)", tags, security,
    request: { query: AgentListQuery }, responses: listResponses("agent") }),
    async (c) => c.json({ items: await listAgents(deps.db, c.var.actor, c.req.valid("query")) as Json[] }, 200));

  app.openapi(createRoute({ method: "get", path: "/agents/{id}", summary: "One agent", tags, security,
    request: { params: IdParam }, responses: oneResponses("The agent") }),
    async (c) => c.json(await getAgent(deps.db, c.var.actor, c.req.valid("param").id) as Json, 200));

  app.openapi(createRoute({ method: "post", path: "/agents", summary: "Add an agent (admins)", tags, security, middleware: [adminOnly],
    request: { body: jsonBody(CreateAgentBody) }, responses: createdResponses("agent") }),
    async (c) => {
      const out = await addAgent(deps, c.var.actor, c.req.valid("json"));
      await runFollowUps(out.followUps);
      return c.json(out.result as Json, 201);
    });

  app.openapi(createRoute({ method: "patch", path: "/agents/{id}", summary: "Edit an agent: role, capacity, teams, active… (admins)", tags, security,
    middleware: [adminOnly], request: { params: IdParam, body: jsonBody(UpdateAgentBody) }, responses: oneResponses("The agent") }),
    async (c) => {
      const out = await updateAgent(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json"));
      await runFollowUps(out.followUps);
      return c.json(out.result as Json, 200);
    });

  app.openapi(createRoute({ method: "post", path: "/agents/{id}/password", summary: "Set a new password for an agent (admins)", tags, security,
    middleware: [adminOnly], request: { params: IdParam, body: jsonBody(PasswordBody) }, responses: oneResponses("Done") }),
    async (c) => {
      await resetPassword(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").password);
      return c.json({ ok: true }, 200);
    });

  return app;
}
