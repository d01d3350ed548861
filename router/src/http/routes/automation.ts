import { createRoute, z } from "@hono/zod-openapi";
import { newRouter, type AppDeps } from "../context.js";
import { errorResponses, IdParam, jsonBody, okJson, security } from "../schemas.js";
import { adminOnly, oneResponses } from "./admin-guard.js";
import { listAlerts } from "../../domain/automation/alerts.js";
import { recordHeartbeat } from "../../domain/automation/heartbeat.js";
import { getTeamAutomation, getWorkspaceAutomation, updateTeamAutomation, updateWorkspaceAutomation } from "../../domain/automation/settings.js";

type Json = Record<string, unknown>;
const tags = ["automation"];
const nonEmpty = (body: object) => Object.keys(body).length > 0;
const atLeastOneField = { message: "Send at least one field to change" };
const DAY = 24 * 3600;

const AlertsQuery = z.object({
  after: z.uuid().optional().openapi({ description: "Only alerts newer than this alert id" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const HeartbeatBody = z.strictObject({
  idleSeconds: z.number().int().min(0).max(7 * DAY).optional().openapi({ description: "Seconds since the user last touched the page" }),
}).openapi("Heartbeat");

const Steps = z.array(z.strictObject({
  afterSeconds: z.number().int().min(1).max(7 * DAY),
  action: z.enum(["alert", "reassign", "supervisor"]),
})).max(10).refine((steps) => steps.every((s, i) => i === 0 || steps[i - 1]!.afterSeconds < s.afterSeconds),
  { message: "Steps go in increasing afterSeconds" });
const WorkspaceAutomationBody = z.strictObject({
  csatEnabled: z.boolean(),
  pendingExpirySeconds: z.number().int().min(60).max(90 * DAY),
  idleTimeoutSeconds: z.number().int().min(60).max(DAY),
  disconnectTimeoutSeconds: z.number().int().min(30).max(DAY),
  reassignGraceSeconds: z.number().int().min(0).max(DAY),
  escalationSteps: Steps,
}).partial().refine(nonEmpty, atLeastOneField).openapi("WorkspaceAutomation");
const TeamAutomationBody = z.strictObject({
  csatEnabled: z.boolean().nullable().openapi({ description: "null: as the workspace" }),
  escalationSteps: Steps.nullable().openapi({ description: "null: the workspace's ladder" }),
}).partial().refine(nonEmpty, atLeastOneField).openapi("TeamAutomation");

/** Alerts and heartbeat for every agent; SLA, CSAT and inactivity settings for admins. */
export function automationRoutes(deps: AppDeps) {
  const app = newRouter();
  app.openapi(createRoute({ method: "get", path: "/alerts", summary: "SLA alerts: your own; supervisors also their teams'", tags, security,
    request: { query: AlertsQuery }, responses: { 200: okJson("{ items: [alert] }, newest first"), ...errorResponses } }),
    async (c) => c.json({ items: await listAlerts(deps.db, c.var.actor, c.req.valid("query")) as Json[] }, 200));

  app.openapi(createRoute({ method: "post", path: "/agents/me/heartbeat", summary: "The inbox is open (call every ~30 s)", tags, security,
    request: { body: jsonBody(HeartbeatBody) }, responses: { 200: okJson("Your presence and last-seen time"), ...errorResponses } }),
    async (c) => c.json(await recordHeartbeat(deps, c.var.actor, c.req.valid("json").idleSeconds), 200));

  app.openapi(createRoute({ method: "get", path: "/workspace/automation", summary: "SLA, CSAT and inactivity settings (admins)", tags, security,
    middleware: [adminOnly], responses: oneResponses("The settings") }),
    async (c) => c.json(await getWorkspaceAutomation(deps.db, c.var.actor) as Json, 200));

  app.openapi(createRoute({ method: "patch", path: "/workspace/automation", summary: "Change SLA, CSAT and inactivity settings (admins)", tags, security,
    middleware: [adminOnly], request: { body: jsonBody(WorkspaceAutomationBody) }, responses: oneResponses("The settings") }),
    async (c) => c.json(await updateWorkspaceAutomation(deps.db, c.var.actor, c.req.valid("json")) as Json, 200));

  app.openapi(createRoute({ method: "get", path: "/teams/{id}/automation", summary: "A team's escalation ladder and CSAT override (admins)", tags, security,
    middleware: [adminOnly], request: { params: IdParam }, responses: oneResponses("The team's overrides") }),
    async (c) => c.json(await getTeamAutomation(deps.db, c.var.actor, c.req.valid("param").id) as Json, 200));

  app.openapi(createRoute({ method: "patch", path: "/teams/{id}/automation", summary: "Change a team's escalation ladder or CSAT (admins)", tags, security,
    middleware: [adminOnly], request: { params: IdParam, body: jsonBody(TeamAutomationBody) }, responses: oneResponses("The team's overrides") }),
    async (c) => c.json(await updateTeamAutomation(deps.db, c.var.actor, c.req.valid("param").id, c.req.valid("json")) as Json, 200));
  return app;
}
