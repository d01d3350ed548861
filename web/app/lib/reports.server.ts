import { json, type AppLoadContext } from "@remix-run/node";
import { metricsById } from "@centralita/analytics";
import { z } from "zod";
import { webConfig } from "./config.server";
import { filtersFromUrl } from "./dashboard-page.server";
import { loadViewer, requireSupervisor, viewerZone } from "./dashboards.server";
import { guardRouter, requireAgent, requireCsrf, type SignedIn } from "./guard.server";
import { describeError } from "./errors";
import { translator, type Locale } from "./i18n";
import { routerToken } from "./session.server";
import { RouterError } from "./router.server";
import { reportsApi, type ReportsApi } from "./reports-api.server";
import { buildReport, builderSpec } from "./reports-export.server";
import { isReportable, reportableMetrics, reportBreakdowns } from "./exports/report";

const lang = (locale: Locale) => (locale === "en" ? "en" : "es");

async function signedInManager(request: Request, context: AppLoadContext): Promise<SignedIn & { reports: ReportsApi }> {
  const signedIn = await requireAgent(request, context);
  requireSupervisor(signedIn);
  const token = routerToken(signedIn.session, context)!;
  return { ...signedIn, reports: reportsApi(webConfig(context).routerUrl, token) };
}

/** The reports page: the builder (and its table when metrics are chosen), schedules and generated files. */
export async function loadReportsPage(request: Request, context: AppLoadContext) {
  const signedIn = await signedInManager(request, context);
  const filters = filtersFromUrl(request);
  const spec = builderSpec(request);
  const viewer = await loadViewer(request, context, signedIn);
  const [schedules, files] = await guardRouter(request, context, signedIn, Promise.all([signedIn.reports.schedules(), signedIn.reports.files()]));
  const built = spec ? await buildReport(request, context, signedIn, viewer, spec, filters) : null;
  const l = lang(signedIn.locale);
  return {
    filters, spec, built, schedules, files,
    metrics: reportableMetrics.map((m) => ({ id: m.id, name: m.name[l], unit: m.unit })),
    metricNames: Object.fromEntries([...metricsById.values()].map((m) => [m.id, m.name[l]])),
    options: {
      teams: viewer.teams.map(({ id, name }) => ({ id, name })), agents: viewer.agents, channels: viewer.channels, timeZone: viewerZone(viewer, filters),
    },
  };
}

const ScheduleForm = z.object({
  name: z.string().trim().min(1).max(120),
  frequency: z.enum(["daily", "weekly", "monthly"]),
  timeZone: z.string().min(1).max(64),
  breakdown: z.enum(reportBreakdowns),
  format: z.enum(["csv", "xlsx"]),
  metrics: z.array(z.string().refine(isReportable)).min(1).max(30),
  webhookUrl: z.union([z.literal(""), z.url({ protocol: /^https?$/ })]).optional(),
  teamId: z.union([z.literal(""), z.uuid()]).optional(),
});
const Intent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("pause"), id: z.uuid() }),
  z.object({ intent: z.literal("resume"), id: z.uuid() }),
  z.object({ intent: z.literal("delete"), id: z.uuid() }),
]);

export type ReportsActionResult = { ok: true; notice?: string; secret?: string } | { ok: false; error: string };

async function scheduleAction(signedIn: SignedIn & { reports: ReportsApi }, form: FormData): Promise<ReportsActionResult> {
  const t = translator(signedIn.locale);
  const intent = form.get("intent");
  if (intent === "create") {
    const parsed = ScheduleForm.safeParse({ ...Object.fromEntries(form), metrics: form.getAll("metrics") });
    if (!parsed.success) return { ok: false, error: t("reports.error.invalid", { message: parsed.error.issues.map((i) => i.path.join(".")).join(", ") }) };
    const { metrics, webhookUrl, teamId, ...rest } = parsed.data;
    const created = await signedIn.reports.createSchedule({
      ...rest, metricIds: metrics, locale: signedIn.locale, webhookUrl: webhookUrl || null, teamIds: teamId ? [teamId] : undefined,
    });
    return { ok: true, notice: t("reports.schedules.created"), secret: created.webhookSecret };
  }
  const parsed = Intent.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: t("reports.error.invalid", { message: "intent" }) };
  if (parsed.data.intent === "delete") await signedIn.reports.deleteSchedule(parsed.data.id);
  else await signedIn.reports.updateSchedule(parsed.data.id, { active: parsed.data.intent === "resume" });
  return { ok: true };
}

/** Creates, pauses, resumes or deletes a schedule; a router refusal becomes a sentence, not a crash. */
export async function reportsAction(request: Request, context: AppLoadContext) {
  const signedIn = await signedInManager(request, context);
  const form = await request.formData();
  await requireCsrf(request, signedIn.session, form, signedIn.locale);
  try {
    const result = await guardRouter(request, context, signedIn, scheduleAction(signedIn, form));
    return json(result, { status: result.ok ? 200 : 400 });
  } catch (error) {
    if (!(error instanceof RouterError)) throw error;
    const result: ReportsActionResult = { ok: false, error: describeError(error.body, translator(signedIn.locale), signedIn.agent.id) };
    return json(result, { status: error.status >= 500 ? 502 : error.status });
  }
}

/** `/reports/files/:id`: the stored file, straight from the router, for a manager of its schedule. */
export async function downloadReportFile(request: Request, context: AppLoadContext, fileId: string): Promise<Response> {
  const signedIn = await signedInManager(request, context);
  if (!z.uuid().safeParse(fileId).success) throw json({ code: "not_found", message: "Report file not found" }, { status: 404 });
  try {
    const res = await guardRouter(request, context, signedIn, signedIn.reports.download(fileId));
    const headers = new Headers({ "Cache-Control": "private, no-store" });
    for (const h of ["content-type", "content-disposition"]) if (res.headers.get(h)) headers.set(h, res.headers.get(h)!);
    return new Response(res.body, { status: 200, headers });
  } catch (error) {
    if (error instanceof RouterError) throw json({ code: error.body.code, message: error.body.message }, { status: error.status });
    throw error;
  }
}
