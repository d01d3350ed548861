import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { newRouter, type AppDeps } from "../context.js";
import { errorResponses, IdParam, jsonBody, okJson, security } from "../schemas.js";
import { createApiToken, login, logout, revokeToken } from "../../domain/auth/tokens.js";
import { agents } from "../../db/schema/index.js";
import { LoginThrottle } from "./login-throttle.js";

const tags = ["auth"];
const LoginBody = z.object({ email: z.email().max(254), password: z.string().min(1).max(200) }).openapi("Login");
const TokenBody = z.object({ name: z.string().trim().min(1).max(100) }).openapi("ApiTokenRequest");

export const publicAgent = (a: typeof agents.$inferSelect) => ({
  id: a.id, tenantId: a.tenantId, email: a.email, name: a.name, role: a.role, capacity: a.capacity, presence: a.presence,
  timeZone: a.timeZone, skills: a.skills, locale: a.locale, active: a.active,
});

/** Login is the one /v1 route without a token; it is throttled per email against password guessing. */
export function loginRoutes(deps: AppDeps) {
  const app = newRouter();
  const throttle = new LoginThrottle(deps.clock);
  app.openapi(createRoute({ method: "post", path: "/auth/login", summary: "Sign in with email and password", tags,
    request: { body: jsonBody(LoginBody) }, responses: { 200: okJson("A session token"), ...errorResponses, 429: { description: "Too many attempts" } } }),
    async (c) => {
      const { email, password } = c.req.valid("json");
      throttle.check(email);
      try {
        const session = await login(deps, email, password);
        throttle.succeeded(email);
        return c.json({ token: session.token, expiresAt: session.expiresAt, agent: publicAgent(session.agent) }, 200);
      } catch (error) {
        throttle.failed(email);
        throw error;
      }
    });
  return app;
}

export function sessionRoutes(deps: AppDeps) {
  const app = newRouter();
  app.openapi(createRoute({ method: "post", path: "/auth/logout", summary: "End this session", tags, security,
    responses: { 200: okJson("Signed out"), ...errorResponses } }),
    async (c) => {
      await logout(deps.db, deps.clock, c.var.token);
      return c.json({ ok: true }, 200);
    });
  app.openapi(createRoute({ method: "get", path: "/me", summary: "The signed-in agent and their scope", tags, security,
    responses: { 200: okJson("The agent"), ...errorResponses } }),
    async (c) => {
      const [agent] = await deps.db.select().from(agents).where(eq(agents.id, c.var.actor.agentId));
      return c.json({ ...publicAgent(agent!), teamIds: c.var.actor.teamIds }, 200);
    });
  app.openapi(createRoute({ method: "post", path: "/api-tokens", summary: "Create an API token acting as yourself", tags, security,
    request: { body: jsonBody(TokenBody) }, responses: { 200: okJson("The token, shown once"), ...errorResponses } }),
    async (c) => {
      const t = await createApiToken(deps, c.var.actor, c.req.valid("json").name);
      return c.json({ id: t.id, token: t.token }, 200);
    });
  app.openapi(createRoute({ method: "delete", path: "/api-tokens/{id}", summary: "Revoke one of your API tokens", tags, security,
    request: { params: IdParam }, responses: { 200: okJson("Revoked"), ...errorResponses } }),
    async (c) => {
      await revokeToken(deps.db, deps.clock, c.var.actor, c.req.valid("param").id);
      return c.json({ ok: true }, 200);
    });
  return app;
}
