import { createHash, timingSafeEqual } from "node:crypto";
import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import { newRouter, type AppDeps, type AppEnv } from "../context.js";
import { errorResponses, IdParam, jsonBody, okJson, security } from "../schemas.js";
import { authenticate } from "../../domain/auth/tokens.js";
import { DomainError } from "../../domain/errors.js";
import { reportBreakdowns, reportFormats, reportFrequencies } from "../../db/schema/reports.js";
import { createSchedule, deleteSchedule, listSchedules, updateSchedule } from "../../domain/reports/schedules.js";
import { listReportFiles, reportFileContent } from "../../domain/reports/files.js";
import { claimReport, completeReport, dueReports } from "../../domain/reports/service.js";

const tags = ["reports"];
const ScheduleBody = z.object({
  name: z.string().trim().min(1).max(120),
  frequency: z.enum(reportFrequencies),
  timeZone: z.string().min(1).max(64),
  metricIds: z.array(z.string().regex(/^[a-z0-9_]{1,80}$/)).min(1).max(40),
  breakdown: z.enum(reportBreakdowns).optional(),
  format: z.enum(reportFormats).optional(),
  locale: z.enum(["es-419", "en"]).optional(),
  teamIds: z.array(z.uuid()).max(100).nullable().optional(),
  webhookUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  active: z.boolean().optional(),
}).openapi("ReportSchedule");
const SchedulePatch = ScheduleBody.partial().extend({ rotateWebhookSecret: z.boolean().optional() }).openapi("ReportSchedulePatch");
const ClaimBody = z.object({ scheduleId: z.uuid(), periodKey: z.string().max(40) }).openapi("ReportClaim");
const RunResultBody = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("done"), claimToken: z.uuid(), fileName: z.string().regex(/^[\p{L}\p{N}_\-. ]{1,200}$/u), contentType: z.string().max(200),
    contentBase64: z.base64().max(250_000),
    webhook: z.object({ status: z.enum(["delivered", "failed"]), detail: z.string().max(500).optional() }).optional(),
  }),
  z.object({ status: z.literal("failed"), claimToken: z.uuid(), error: z.string().max(4000) }),
]).openapi("ReportRunResult");
const fileResponse = { description: "The file", content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } };

const digest = (token: string) => createHash("sha256").update(token).digest();

/**
 * The report scheduler's credential (REPORTS_SERVICE_TOKEN): it opens only /reports/service/*, and a person's
 * token does not open those. No token: 401; a person's valid token: 403.
 */
export function requireReportsService(deps: AppDeps) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
    if (!match) throw new DomainError("unauthenticated", "Send an Authorization: Bearer token");
    if (deps.reportsServiceToken && timingSafeEqual(digest(match[1]!), digest(deps.reportsServiceToken))) return next();
    await authenticate(deps, match[1]!);
    throw new DomainError("forbidden", "Only the report scheduler's service credential may do this");
  });
}

/** Scheduler endpoints; mounted before the person-token middleware, behind their own. */
export function reportServiceRoutes(deps: AppDeps) {
  const app = newRouter();
  app.use("/reports/service/*", requireReportsService(deps));
  app.openapi(createRoute({ method: "get", path: "/reports/service/due", summary: "Schedules whose last complete period has no file yet (service credential)", tags, security,
    responses: { 200: okJson("Due reports"), ...errorResponses } }),
    async (c) => c.json({ items: await dueReports(deps) }, 200));
  app.openapi(createRoute({ method: "post", path: "/reports/service/claims", summary: "Claim one (schedule, period); one claimer wins, others get 409 (service credential)", tags, security,
    request: { body: jsonBody(ClaimBody) }, responses: { 201: okJson("The claim and what the report needs"), ...errorResponses } }),
    async (c) => {
      const { scheduleId, periodKey } = c.req.valid("json");
      return c.json(await claimReport(deps, scheduleId, periodKey) as unknown as Record<string, unknown>, 201);
    });
  app.openapi(createRoute({ method: "put", path: "/reports/service/runs/{id}", summary: "Hand back a claimed run's file or failure (service credential)", tags, security,
    request: { params: IdParam, body: jsonBody(RunResultBody) }, responses: { 200: okJson("Recorded"), ...errorResponses } }),
    async (c) => {
      const body = c.req.valid("json");
      const result = body.status === "done"
        ? { ...body, content: Buffer.from(body.contentBase64, "base64") }
        : body;
      return c.json(await completeReport(deps, c.req.valid("param").id, result), 200);
    });
  return app;
}

/** Schedules and their files: admins and supervisors (their teams' schedules); agents are refused. */
export function reportRoutes(deps: AppDeps) {
  const app = newRouter();
  app.openapi(createRoute({ method: "get", path: "/reports/schedules", summary: "Report schedules the caller manages (admins, supervisors)", tags, security,
    responses: { 200: okJson("Schedules"), ...errorResponses } }),
    async (c) => c.json({ items: await listSchedules(deps.db, c.var.actor) }, 200));
  app.openapi(createRoute({ method: "post", path: "/reports/schedules", summary: "Schedule a report (admins; supervisors for their teams)", tags, security,
    request: { body: jsonBody(ScheduleBody) }, responses: { 201: okJson("The schedule, with its webhook secret once"), ...errorResponses } }),
    async (c) => c.json(await createSchedule(deps, c.var.actor, c.req.valid("json")) as unknown as Record<string, unknown>, 201));
  app.openapi(createRoute({ method: "patch", path: "/reports/schedules/{id}", summary: "Change or pause a schedule", tags, security,
    request: { params: IdParam, body: jsonBody(SchedulePatch) }, responses: { 200: okJson("The schedule"), ...errorResponses } }),
    async (c) => c.json(await updateSchedule(deps, c.var.actor, c.req.valid("param").id, c.req.valid("json")) as unknown as Record<string, unknown>, 200));
  app.openapi(createRoute({ method: "delete", path: "/reports/schedules/{id}", summary: "Remove a schedule and its files", tags, security,
    request: { params: IdParam }, responses: { 200: okJson("Removed"), ...errorResponses } }),
    async (c) => {
      await deleteSchedule(deps.db, c.var.actor, c.req.valid("param").id);
      return c.json({ ok: true }, 200);
    });
  app.openapi(createRoute({ method: "get", path: "/reports/files", summary: "Scheduled report runs, newest first", tags, security,
    responses: { 200: okJson("Files"), ...errorResponses } }),
    async (c) => c.json({ items: await listReportFiles(deps.db, c.var.actor) }, 200));
  app.openapi(createRoute({ method: "get", path: "/reports/files/{id}", summary: "Download a scheduled report's file", tags, security,
    request: { params: IdParam }, responses: { 200: fileResponse, ...errorResponses } }),
    async (c) => {
      const file = await reportFileContent(deps.db, c.var.actor, c.req.valid("param").id);
      const name = encodeURIComponent(file.fileName);
      return c.body(new Uint8Array(file.content), 200, {
        "content-type": file.contentType, "content-disposition": `attachment; filename*=UTF-8''${name}`, "cache-control": "private, no-store",
      }) as never;
    });
  return app;
}
