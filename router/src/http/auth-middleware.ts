import { createMiddleware } from "hono/factory";
import type { AppDeps, AppEnv } from "./context.js";
import { authenticate } from "../domain/auth/tokens.js";
import { DomainError } from "../domain/errors.js";

/** Every /v1 route but login needs a bearer token: a login session or an integration API token. */
export function requireAuth(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new DomainError("unauthenticated", "Send an Authorization: Bearer token");
    c.set("token", match[1]!);
    c.set("actor", await authenticate(deps, match[1]!));
    await next();
  });
}
