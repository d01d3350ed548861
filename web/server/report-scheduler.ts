import cron, { type ScheduledTask } from "node-cron";
import type { ClickHouseClient } from "@clickhouse/client";
import type { MetricQuery } from "@centralita/analytics";
import { createHmac } from "node:crypto";
import { RouterError } from "../app/lib/router.server";
import { reportsApi, type ReportClaim, type ReportsApi } from "../app/lib/reports-api.server";
import { isReportable, reportExport } from "../app/lib/exports/report";
import { runReport } from "../app/lib/exports/run-report.server";
import { contentTypes, exportBytes, safeFileName } from "../app/lib/exports/download";

/**
 * Scheduled reports, run by every web process: each tick asks the router what is due, claims it (the router's
 * unique (schedule, period) key lets one process win), computes the table from ClickHouse exactly like the
 * builder, optionally POSTs the file to the schedule's webhook signed with its secret, and hands the file back.
 */
export type ReportSchedulerOptions = {
  routerUrl: string;
  /** The router's REPORTS_SERVICE_TOKEN: opens only the report-run endpoints. */
  serviceToken: string;
  clickhouse: ClickHouseClient;
  /** Every minute by default; a tick finds nothing to do in a few milliseconds. */
  schedule?: string;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
};
export type TickSummary = { due: number; made: number; lost: number; failed: number };

const WEBHOOK_TIMEOUT_MS = 10_000;

/** `sha256=<hex HMAC-SHA256 of the raw body>`: what a receiver recomputes with the schedule's secret. */
export const signReport = (body: Uint8Array, secret: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** The claim's schedule as a metric query: its period, zone and team scope, the workspace's teams and SLA target. */
export function claimQuery(claim: ReportClaim): MetricQuery {
  const s = claim.schedule;
  return {
    tenantId: s.tenantId, from: new Date(claim.period.from), to: new Date(claim.period.to), timeZone: s.timeZone,
    filters: s.teamIds ? { teamIds: s.teamIds } : {},
    teamSchedules: claim.teams.map((t) => ({ teamId: t.id, timeZone: t.timeZone, businessHours: t.businessHours, holidays: t.holidays ?? [] })),
    firstResponseTargetSeconds: claim.firstResponseTargetSeconds,
  };
}

/** The file of one claimed run, in the schedule's format and language. */
export async function produceReport(clickhouse: ClickHouseClient, claim: ReportClaim) {
  const s = claim.schedule;
  const scope = s.teamIds;
  const dims = {
    agents: claim.agents.filter((a) => !scope || a.teamIds.some((id) => scope.includes(id))),
    teams: claim.teams.filter((t) => !scope || scope.includes(t.id)),
    channels: claim.channels,
  };
  const spec = { metricIds: s.metricIds.filter(isReportable), breakdown: s.breakdown };
  const table = await runReport(clickhouse, claimQuery(claim), spec, dims, s.locale);
  const file = reportExport({
    table, title: s.name, window: { from: claim.period.from, to: claim.period.to, timeZone: s.timeZone }, filters: [], locale: s.locale,
    baseName: `${s.name}_${claim.period.firstDay}`,
  });
  return { fileName: safeFileName(file.baseName, s.format), contentType: contentTypes[s.format], bytes: await exportBytes(file, s.format) };
}

/**
 * POSTs the file to the webhook. `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body with the schedule's
 * secret>` (the same scheme Meta uses), and the run id in `X-Centralita-Delivery` so a receiver can drop a repeat.
 */
export async function deliverWebhook(claim: ReportClaim, file: { fileName: string; contentType: string; bytes: Buffer }) {
  const { webhookUrl, webhookSecret } = claim.schedule;
  if (!webhookUrl || !webhookSecret) return undefined;
  try {
    const res = await fetch(webhookUrl, {
      method: "POST", redirect: "manual", signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS), body: new Uint8Array(file.bytes),
      headers: {
        "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"`,
        "x-hub-signature-256": signReport(file.bytes, webhookSecret), "x-centralita-delivery": claim.runId,
        "x-centralita-schedule": claim.schedule.id, "x-centralita-period": claim.period.key,
      },
    });
    return res.ok ? { status: "delivered" as const } : { status: "failed" as const, detail: `HTTP ${res.status}` };
  } catch (error) {
    return { status: "failed" as const, detail: String((error as Error).message ?? error).slice(0, 400) };
  }
}

/** One due report: claim, make, deliver, hand back. Losing the claim is normal with several instances. */
async function runOne(api: ReportsApi, clickhouse: ClickHouseClient, scheduleId: string, periodKey: string): Promise<"made" | "lost" | "failed"> {
  let claim: ReportClaim;
  try {
    claim = await api.claim(scheduleId, periodKey);
  } catch (error) {
    if (error instanceof RouterError && error.status < 500) return "lost";
    throw error;
  }
  try {
    const file = await produceReport(clickhouse, claim);
    const webhook = await deliverWebhook(claim, file);
    await api.finish(claim.runId, {
      status: "done", claimToken: claim.claimToken, fileName: file.fileName, contentType: file.contentType, contentBase64: file.bytes.toString("base64"), webhook,
    });
    return "made";
  } catch (error) {
    await api.finish(claim.runId, { status: "failed", claimToken: claim.claimToken, error: String((error as Error).message ?? error) }).catch(() => {});
    return "failed";
  }
}

export function startReportScheduler(opts: ReportSchedulerOptions) {
  const api = reportsApi(opts.routerUrl.replace(/\/$/, ""), opts.serviceToken);
  /** One pass over what is due now; the cron calls it, tests call it directly. */
  async function runOnce(): Promise<TickSummary> {
    const due = await api.due();
    const summary: TickSummary = { due: due.length, made: 0, lost: 0, failed: 0 };
    for (const d of due) {
      const outcome = await runOne(api, opts.clickhouse, d.scheduleId, d.periodKey);
      summary[outcome] += 1;
      if (outcome !== "lost") opts.log?.(`scheduled report ${outcome}`, { scheduleId: d.scheduleId, period: d.periodKey });
    }
    return summary;
  }
  let running: Promise<unknown> = Promise.resolve();
  const task: ScheduledTask = cron.schedule(opts.schedule ?? "* * * * *", () => {
    running = runOnce().catch((error) => opts.log?.("report scheduler tick failed", { error: String(error) }));
    return running as Promise<void>;
  }, { name: "centralita-reports", noOverlap: true });
  return {
    runOnce,
    stop: async () => {
      await task.destroy();
      await running;
    },
  };
}
