import type { RouterErrorBody } from "./errors";
import { RouterError } from "./router.server";

/** The router's /v1/reports API as the web server calls it: with a person's token, or the scheduler's credential. */
export type ReportFrequency = "daily" | "weekly" | "monthly";
export type ScheduleBreakdown = "none" | "agent" | "team" | "day" | "channel" | "territory";
export type ReportSchedule = {
  id: string; tenantId: string; name: string; frequency: ReportFrequency; timeZone: string; metricIds: string[];
  breakdown: ScheduleBreakdown; format: "csv" | "xlsx"; locale: "es-419" | "en"; teamIds: string[] | null; webhookUrl: string | null;
  active: boolean; hasWebhookSecret: boolean; webhookSecret?: string; createdAt: string; updatedAt: string;
};
export type ScheduleBody = Partial<Omit<ReportSchedule, "id" | "tenantId" | "hasWebhookSecret" | "webhookSecret" | "createdAt" | "updatedAt">> & { rotateWebhookSecret?: boolean };
export type ReportFile = {
  id: string; scheduleId: string; scheduleName: string; periodKey: string; periodStart: string; periodEnd: string; status: "running" | "done" | "failed";
  fileName: string | null; sizeBytes: number | null; finishedAt: string | null; webhookStatus: "delivered" | "failed" | null; error: string | null;
};
export type DueReport = { scheduleId: string; tenantId: string; periodKey: string; from: string; to: string };
export type ReportClaim = {
  runId: string; claimToken: string; attempt: number;
  period: { key: string; from: string; to: string; firstDay: string; lastDay: string };
  schedule: Omit<ReportSchedule, "hasWebhookSecret"> & { webhookSecret: string | null };
  firstResponseTargetSeconds: number;
  agents: Array<{ id: string; name: string; teamIds: string[] }>;
  teams: Array<{ id: string; name: string; timeZone: string; businessHours: Record<string, Array<[string, string]>> | null; holidays: string[]; firstResponseTargetSeconds: number | null }>;
  channels: Array<{ id: string; name: string }>;
};
export type RunResult =
  | { status: "done"; claimToken: string; fileName: string; contentType: string; contentBase64: string; webhook?: { status: "delivered" | "failed"; detail?: string } }
  | { status: "failed"; claimToken: string; error: string };

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export function reportsApi(baseUrl: string, token: string) {
  async function send(method: Method, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      const res = await fetch(`${baseUrl}/v1/reports${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (res.ok) return res;
      const parsed = await res.json().catch(() => null) as { error?: RouterErrorBody } | null;
      throw new RouterError(res.status, parsed?.error ?? { code: res.status >= 500 ? "internal" : "invalid_input", message: `HTTP ${res.status}` });
    } catch (error) {
      if (error instanceof RouterError) throw error;
      throw new RouterError(503, { code: "unavailable", message: `The router cannot be reached: ${String((error as Error)?.message ?? error)}` });
    }
  }
  const call = async <T>(method: Method, path: string, body?: unknown) => (await (await send(method, path, body)).json()) as T;
  const id = (value: string) => encodeURIComponent(value);
  return {
    schedules: () => call<{ items: ReportSchedule[] }>("GET", "/schedules").then((r) => r.items),
    createSchedule: (body: ScheduleBody) => call<ReportSchedule>("POST", "/schedules", body),
    updateSchedule: (scheduleId: string, body: ScheduleBody) => call<ReportSchedule>("PATCH", `/schedules/${id(scheduleId)}`, body),
    deleteSchedule: (scheduleId: string) => call<{ ok: true }>("DELETE", `/schedules/${id(scheduleId)}`),
    files: () => call<{ items: ReportFile[] }>("GET", "/files").then((r) => r.items),
    /** The file as the router sends it (bytes, type, disposition), to pass through to the browser. */
    download: (fileId: string) => send("GET", `/files/${id(fileId)}`),
    due: () => call<{ items: DueReport[] }>("GET", "/service/due").then((r) => r.items),
    claim: (scheduleId: string, periodKey: string) => call<ReportClaim>("POST", "/service/claims", { scheduleId, periodKey }),
    finish: (runId: string, result: RunResult) => call<{ ok: true }>("PUT", `/service/runs/${id(runId)}`, result),
  };
}

export type ReportsApi = ReturnType<typeof reportsApi>;
