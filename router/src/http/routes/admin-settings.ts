import { createRoute } from "@hono/zod-openapi";
import { newRouter, type AppDeps } from "../context.js";
import { IdParam, jsonBody, security } from "../schemas.js";
import { CreateChannelBody, UpdateChannelBody, CreateRuleBody, UpdateRuleBody, UpdateWorkspaceBody } from "../admin-schemas.js";
import { adminOnly, allow, createdResponses, listResponses, oneResponses, tags } from "./admin-guard.js";
import { addRule, deleteRule, listRules, updateRule } from "../../domain/admin/rules.js";
import { addChannel, getSettings, listChannels, updateChannel, updateSettings } from "../../domain/admin/settings.js";

type Json = Record<string, unknown>;

/** Routing rules, WhatsApp channels and the workspace's own settings. */
export function adminSettingsRoutes(deps: AppDeps) {
  const app = newRouter();

  app.openapi(createRoute({ method: "get", path: "/routing-rules", summary: "Routing rules (admins and supervisors)", tags, security,
    middleware: [allow("admin", "supervisor")], responses: listResponses("routing rule") }),
    async (c) => c.json({ items: await listRules(deps.db, c.var.actor) as Json[] }, 200));

  app.openapi(createRoute({ method: "post", path: "/routing-rules", summary: "Add a routing rule (admins)", tags, security, middleware: [adminOnly],
    request: { body: jsonBody(CreateRuleBody) }, responses: createdResponses("routing rule") }),
    async (c) => c.json(await addRule(deps.db, c.var.actor, c.req.valid("json")) as Json, 201));

  app.openapi(createRoute({ method: "patch", path: "/routing-rules/{id}", summary: "Edit a routing rule (admins)", tags, security, middleware: [adminOnly],
    request: { params: IdParam, body: jsonBody(UpdateRuleBody) }, responses: oneResponses("The routing rule") }),
    async (c) => c.json(await updateRule(deps.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")) as Json, 200));

  app.openapi(createRoute({ method: "delete", path: "/routing-rules/{id}", summary: "Delete a routing rule (admins)", tags, security, middleware: [adminOnly],
    request: { params: IdParam }, responses: oneResponses("Deleted") }),
    async (c) => {
      await deleteRule(deps.db, c.var.actor, c.req.valid("param").id);
      return c.json({ ok: true }, 200);
    });

  app.openapi(createRoute({ method: "get", path: "/channels", summary: "The workspace's WhatsApp numbers", tags, security,
    responses: listResponses("channel") }),
    async (c) => c.json({ items: await listChannels(deps.db, c.var.actor) as Json[] }, 200));

  app.openapi(createRoute({ method: "post", path: "/channels", summary: "Connect a WhatsApp number (admins)", tags, security, middleware: [adminOnly],
    request: { body: jsonBody(CreateChannelBody) }, responses: createdResponses("channel") }),
    async (c) => c.json(await addChannel(deps, c.var.actor, c.req.valid("json")) as Json, 201));

  app.openapi(createRoute({ method: "patch", path: "/channels/{id}", summary: "Edit a number or rotate its credentials (admins)", tags, security, middleware: [adminOnly],
    request: { params: IdParam, body: jsonBody(UpdateChannelBody) }, responses: oneResponses("The channel") }),
    async (c) => c.json(await updateChannel(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json")) as Json, 200));

  app.openapi(createRoute({ method: "get", path: "/workspace", summary: "Workspace settings (admins)", tags, security, middleware: [adminOnly],
    responses: oneResponses("The settings") }),
    async (c) => c.json(await getSettings(deps.db, c.var.actor) as Json, 200));

  app.openapi(createRoute({ method: "patch", path: "/workspace", summary: "Change workspace settings (admins)", tags, security, middleware: [adminOnly],
    request: { body: jsonBody(UpdateWorkspaceBody) }, responses: oneResponses("The settings") }),
    async (c) => c.json(await updateSettings(deps.db, c.var.actor, c.req.valid("json")) as Json, 200));

  return app;
}
