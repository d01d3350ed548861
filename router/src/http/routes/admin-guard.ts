import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { requireRole, type Role } from "../../domain/actor.js";
import { errorResponses, okJson } from "../schemas.js";

/**
 * Refuses a role before the body is parsed, so a forbidden caller learns nothing about the payload's shape.
 * The domain functions check the role again; this is the early, cheap refusal.
 */
export const allow = (...roles: Role[]) => createMiddleware<AppEnv>(async (c, next) => {
  requireRole(c.var.actor, ...roles);
  await next();
});

export const adminOnly = allow("admin");
export const tags = ["admin"];
export const listResponses = (what: string) => ({ 200: okJson(`{ items: [${what}] }`), ...errorResponses });
export const oneResponses = (what: string) => ({ 200: okJson(what), ...errorResponses });
export const createdResponses = (what: string) => ({ 201: okJson(`The new ${what}`), ...errorResponses });
