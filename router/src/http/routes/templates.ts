import { createRoute, z } from "@hono/zod-openapi";
import { newRouter, type AppDeps } from "../context.js";
import { errorResponses, IdParam, jsonBody, okJson, security } from "../schemas.js";
import { createTemplate, deleteTemplate, listTemplates, updateTemplate } from "../../domain/templates.js";

const tags = ["templates"];
const TemplateBody = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, "lowercase letters, digits and underscores, as Meta names templates"),
  language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "a Meta language code such as es_MX or en_US"),
  category: z.enum(["utility", "marketing", "authentication"]).optional(),
  body: z.string().trim().min(1).max(1024),
  status: z.enum(["approved", "pending", "rejected", "paused"]).optional(),
}).openapi("Template");

/** Approved WhatsApp templates: everyone lists them (the reply picker); admins manage them. */
export function templateRoutes(deps: AppDeps) {
  const app = newRouter();
  app.openapi(createRoute({ method: "get", path: "/templates", summary: "The workspace's message templates", tags, security,
    responses: { 200: okJson("Templates"), ...errorResponses } }),
    async (c) => c.json({ items: await listTemplates(deps.db, c.var.actor) }, 200));
  app.openapi(createRoute({ method: "post", path: "/templates", summary: "Add a template (admins)", tags, security,
    request: { body: jsonBody(TemplateBody) }, responses: { 201: okJson("The template"), ...errorResponses } }),
    async (c) => c.json(await createTemplate(deps.db, c.var.actor, c.req.valid("json")) as Record<string, unknown>, 201));
  app.openapi(createRoute({ method: "patch", path: "/templates/{id}", summary: "Edit a template (admins)", tags, security,
    request: { params: IdParam, body: jsonBody(TemplateBody.partial()) }, responses: { 200: okJson("The template"), ...errorResponses } }),
    async (c) => c.json(await updateTemplate(deps.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")) as Record<string, unknown>, 200));
  app.openapi(createRoute({ method: "delete", path: "/templates/{id}", summary: "Remove a template (admins)", tags, security,
    request: { params: IdParam }, responses: { 200: okJson("Removed"), ...errorResponses } }),
    async (c) => {
      await deleteTemplate(deps.db, c.var.actor, c.req.valid("param").id);
      return c.json({ ok: true }, 200);
    });
  return app;
}
