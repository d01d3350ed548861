import { createRoute } from "@hono/zod-openapi";
import { newRouter, type AppDeps, type FollowUpRunner } from "../context.js";
import { errorResponses, IdParam, jsonBody, okJson, PresenceBody, security } from "../schemas.js";
import { setPresence } from "../../domain/agents/presence.js";
import { publicAgent } from "./auth.js";

export function presenceRoutes(deps: AppDeps, runFollowUps: FollowUpRunner) {
  const app = newRouter();
  app.openapi(createRoute({ method: "put", path: "/agents/{id}/presence", summary: "Set presence (yourself; supervisors anyone)", tags: ["agents"], security,
    request: { params: IdParam, body: jsonBody(PresenceBody) }, responses: { 200: okJson("The agent"), ...errorResponses } }),
    async (c) => {
      const out = await setPresence(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json").presence);
      await runFollowUps(out.followUps);
      return c.json(publicAgent(out.result), 200);
    });
  return app;
}
