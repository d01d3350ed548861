import { Hono } from "hono";
import { newRouter, type AppDeps, type FollowUpRunner } from "./context.js";
import { errorResponse } from "./errors.js";
import { limitBody } from "./body-limit.js";
import { requireAuth } from "./auth-middleware.js";
import { loginRoutes, sessionRoutes } from "./routes/auth.js";
import { conversationRoutes } from "./routes/conversations.js";
import { presenceRoutes } from "./routes/presence.js";
import { adminRoutes } from "./routes/admin.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { templateRoutes } from "./routes/templates.js";
import { automationRoutes } from "./routes/automation.js";
import { streamRoutes } from "./routes/stream.js";
import { reportRoutes, reportServiceRoutes } from "./routes/reports.js";
import { drainBacklog } from "../assignment/drain.js";
import { reassignAgentConversations } from "../assignment/reassign.js";

/** Capacity freed by a command is offered to waiting conversations once that command has committed. */
export function followUpRunner(deps: AppDeps): FollowUpRunner {
  return async (followUps) => {
    for (const f of followUps) {
      if (f.kind === "drain") await drainBacklog(deps, f.tenantId, { agentId: f.agentId, teamIds: f.teamIds });
      else if (f.kind === "reassign") await reassignAgentConversations(deps, f.tenantId, f.agentId, f.reason);
      else deps.dispatcher?.nudge();
    }
  };
}

export function createApp(deps: AppDeps) {
  const runFollowUps = followUpRunner(deps);
  const v1 = newRouter();
  v1.use("*", limitBody(256 * 1024));
  v1.route("/", loginRoutes(deps));
  v1.route("/", reportServiceRoutes(deps));
  v1.use("*", async (c, next) => (c.req.path.endsWith("/openapi.json") ? next() : requireAuth(deps)(c, next)));
  v1.route("/", sessionRoutes(deps));
  v1.route("/", conversationRoutes(deps, runFollowUps));
  v1.route("/", presenceRoutes(deps, runFollowUps));
  v1.route("/", adminRoutes(deps, runFollowUps));
  v1.route("/", templateRoutes(deps));
  v1.route("/", automationRoutes(deps));
  v1.route("/", streamRoutes(deps));
  v1.route("/", reportRoutes(deps));
  v1.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  v1.doc("/openapi.json", { openapi: "3.0.3", info: { title: "Centralita router API", version: "1.0.0" }, servers: [{ url: "/v1" }] });

  const app = new Hono();
  app.onError((err, c) => errorResponse(err, c, deps.log));
  app.notFound((c) => c.json({ error: { code: "not_found", message: `No route for ${c.req.method} ${c.req.path}` } }, 404));
  app.get("/health", (c) => c.json({ ok: true }));
  app.route("/", webhookRoutes(deps));
  app.route("/v1", v1);
  return app;
}
