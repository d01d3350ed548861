import { and, desc, eq, inArray } from "drizzle-orm";
import { reportRuns, reportSchedules } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { canManage } from "./schedules.js";

/** A scheduled report's run as the reports page lists it (the file itself is downloaded separately). */
export type ReportFile = {
  id: string; scheduleId: string; scheduleName: string; periodKey: string; periodStart: Date; periodEnd: Date;
  status: "running" | "done" | "failed"; fileName: string | null; contentType: string | null; sizeBytes: number | null;
  finishedAt: Date | null; webhookStatus: "delivered" | "failed" | null; webhookDetail: string | null; error: string | null;
};

const fileColumns = {
  id: reportRuns.id, scheduleId: reportRuns.scheduleId, scheduleName: reportSchedules.name, periodKey: reportRuns.periodKey,
  periodStart: reportRuns.periodStart, periodEnd: reportRuns.periodEnd, status: reportRuns.status, fileName: reportRuns.fileName,
  contentType: reportRuns.contentType, sizeBytes: reportRuns.sizeBytes, finishedAt: reportRuns.finishedAt,
  webhookStatus: reportRuns.webhookStatus, webhookDetail: reportRuns.webhookDetail, error: reportRuns.error,
  tenantId: reportSchedules.tenantId, teamIds: reportSchedules.teamIds,
};

/** The latest runs of the schedules the actor manages (admins all; supervisors their teams'), newest first. */
export async function listReportFiles(db: Db, actor: Actor, limit = 100): Promise<ReportFile[]> {
  requireRole(actor, "admin", "supervisor");
  const schedules = await db.select({ id: reportSchedules.id, tenantId: reportSchedules.tenantId, teamIds: reportSchedules.teamIds })
    .from(reportSchedules).where(eq(reportSchedules.tenantId, actor.tenantId));
  const ids = schedules.filter((s) => canManage(actor, s)).map((s) => s.id);
  if (ids.length === 0) return [];
  const rows = await db.select(fileColumns).from(reportRuns).innerJoin(reportSchedules, eq(reportSchedules.id, reportRuns.scheduleId))
    .where(and(eq(reportRuns.tenantId, actor.tenantId), inArray(reportRuns.scheduleId, ids)))
    .orderBy(desc(reportRuns.periodStart), desc(reportRuns.id)).limit(limit);
  return rows.map(({ tenantId: _t, teamIds: _s, ...file }) => file);
}

/** One finished file's bytes, for a manager of its schedule. */
export async function reportFileContent(db: Db, actor: Actor, runId: string) {
  requireRole(actor, "admin", "supervisor");
  const [row] = await db.select({ ...fileColumns, content: reportRuns.content }).from(reportRuns)
    .innerJoin(reportSchedules, eq(reportSchedules.id, reportRuns.scheduleId))
    .where(and(eq(reportRuns.tenantId, actor.tenantId), eq(reportRuns.id, runId)));
  if (!row || !canManage(actor, row) || row.status !== "done" || !row.content) throw new DomainError("not_found", "Report file not found");
  return { fileName: row.fileName ?? "report", contentType: row.contentType ?? "application/octet-stream", content: row.content };
}
