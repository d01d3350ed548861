import { and, asc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { uuidv7 } from "uuidv7";
import { agents, channels, reportRuns, reportSchedules, teamMembers, teams, tenants } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import type { Clock } from "../../clock.js";
import { DomainError } from "../errors.js";
import { unseal } from "../../channels/whatsapp/secret-box.js";
import { lastCompletePeriod, parsePeriodKey, type Period } from "./periods.js";
import type { ScheduleRow } from "./schedules.js";

/**
 * What the report scheduler (the web process, with the service credential) does: list what is due, claim one
 * (schedule, period) — exactly one claimer wins — and hand back the file. Nothing here is reachable with a
 * person's token.
 */
type Deps = { db: Db; clock: Clock; secretKey: string };

/** A claim left running this long was lost with its process; a failed run is retried after a pause, a few times. */
export const STALE_CLAIM_MS = 10 * 60_000;
export const RETRY_FAILED_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 3;

export type DueReport = { scheduleId: string; tenantId: string; periodKey: string; from: string; to: string };

/** Runs that may be (re)claimed now: none yet, a stale running one, or a failed one whose pause is over. */
const reclaimable = (now: Date) => or(
  and(eq(reportRuns.status, "running"), lt(reportRuns.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS))),
  and(eq(reportRuns.status, "failed"), lt(reportRuns.attempts, MAX_ATTEMPTS), lt(reportRuns.finishedAt, new Date(now.getTime() - RETRY_FAILED_MS))),
);

export async function dueReports(deps: Deps): Promise<DueReport[]> {
  const now = deps.clock.now();
  const schedules = await deps.db.select().from(reportSchedules).where(eq(reportSchedules.active, true)).orderBy(asc(reportSchedules.id));
  if (schedules.length === 0) return [];
  const periods = new Map(schedules.map((s) => [s.id, lastCompletePeriod(s.frequency, s.timeZone, now)]));
  const runs = await deps.db.select({ scheduleId: reportRuns.scheduleId, periodKey: reportRuns.periodKey, open: sql<boolean>`${reclaimable(now)}` })
    .from(reportRuns).where(inArray(reportRuns.scheduleId, schedules.map((s) => s.id)));
  const blocked = new Set(runs.filter((r) => r.periodKey === periods.get(r.scheduleId)!.key && !r.open).map((r) => r.scheduleId));
  return schedules.filter((s) => !blocked.has(s.id)).map((s) => {
    const p = periods.get(s.id)!;
    return { scheduleId: s.id, tenantId: s.tenantId, periodKey: p.key, from: p.from.toISOString(), to: p.to.toISOString() };
  });
}

/** Everything the scheduler needs to compute and deliver the file, given only to the claim's winner. */
async function claimContext(deps: Deps, schedule: ScheduleRow) {
  const tenantId = schedule.tenantId;
  const [tenant] = await deps.db.select({ firstResponseTargetSeconds: tenants.firstResponseTargetSeconds }).from(tenants).where(eq(tenants.id, tenantId));
  const agentRows = await deps.db.select({ id: agents.id, name: agents.name }).from(agents).where(eq(agents.tenantId, tenantId)).orderBy(asc(agents.name), asc(agents.id));
  const members = await deps.db.select({ agentId: teamMembers.agentId, teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.tenantId, tenantId));
  const teamRows = await deps.db.select({
    id: teams.id, name: teams.name, timeZone: teams.timeZone, businessHours: teams.businessHours, holidays: teams.holidays,
    firstResponseTargetSeconds: teams.firstResponseTargetSeconds,
  }).from(teams).where(eq(teams.tenantId, tenantId)).orderBy(asc(teams.name));
  const channelRows = await deps.db.select({ id: channels.id, name: channels.name }).from(channels).where(eq(channels.tenantId, tenantId)).orderBy(asc(channels.name));
  const { webhookSecretSealed, ...rest } = schedule;
  return {
    schedule: { ...rest, webhookSecret: webhookSecretSealed ? unseal(webhookSecretSealed, deps.secretKey) : null },
    firstResponseTargetSeconds: tenant?.firstResponseTargetSeconds ?? 300,
    agents: agentRows.map((a) => ({ ...a, teamIds: members.filter((m) => m.agentId === a.id).map((m) => m.teamId) })), teams: teamRows, channels: channelRows,
  };
}

export type Claim = { runId: string; claimToken: string; attempt: number; period: { key: string; from: string; to: string; firstDay: string; lastDay: string } }
  & Awaited<ReturnType<typeof claimContext>>;

const periodView = (p: Period) => ({ key: p.key, from: p.from.toISOString(), to: p.to.toISOString(), firstDay: p.firstDay, lastDay: p.lastDay });

/**
 * Claims one (schedule, period). The unique index decides: the first insert wins; a concurrent one waits for
 * it, then finds a fresh running row its WHERE refuses, and gets `conflict`. Only the current period of an
 * active schedule can be claimed.
 */
export async function claimReport(deps: Deps, scheduleId: string, periodKey: string): Promise<Claim> {
  const [schedule] = await deps.db.select().from(reportSchedules).where(eq(reportSchedules.id, scheduleId));
  if (!schedule || !schedule.active) throw new DomainError("not_found", "Report schedule not found or paused");
  const now = deps.clock.now();
  const period = parsePeriodKey(periodKey, schedule.timeZone);
  if (period.key !== lastCompletePeriod(schedule.frequency, schedule.timeZone, now).key) {
    throw new DomainError("invalid_input", `${periodKey} is not the period this schedule reports now`);
  }
  const claimToken = randomUUID();
  const [run] = await deps.db.insert(reportRuns).values({
    id: uuidv7(), tenantId: schedule.tenantId, scheduleId, periodKey: period.key, periodStart: period.from, periodEnd: period.to,
    status: "running", claimToken, claimedAt: now,
  }).onConflictDoUpdate({
    target: [reportRuns.scheduleId, reportRuns.periodKey],
    set: { status: "running", claimToken, claimedAt: now, attempts: sql`${reportRuns.attempts} + 1`, error: null, finishedAt: null },
    setWhere: reclaimable(now),
  }).returning({ id: reportRuns.id, attempts: reportRuns.attempts });
  if (!run) throw new DomainError("conflict", "Another instance already claimed this report");
  return { runId: run.id, claimToken, attempt: run.attempts, period: periodView(period), ...(await claimContext(deps, schedule)) };
}

export type RunResult =
  | { status: "done"; claimToken: string; fileName: string; contentType: string; content: Buffer; webhook?: { status: "delivered" | "failed"; detail?: string } }
  | { status: "failed"; claimToken: string; error: string };

/** The claimer hands back its file (or its failure). A claim taken over by another instance is refused. */
export async function completeReport(deps: Deps, runId: string, result: RunResult): Promise<{ ok: true }> {
  const base = { finishedAt: deps.clock.now(), status: result.status };
  const fields = result.status === "done"
    ? { ...base, fileName: result.fileName, contentType: result.contentType, content: result.content, sizeBytes: result.content.length,
      webhookStatus: result.webhook?.status ?? null, webhookDetail: result.webhook?.detail ?? null, error: null }
    : { ...base, error: result.error.slice(0, 2000) };
  const rows = await deps.db.update(reportRuns).set(fields)
    .where(and(eq(reportRuns.id, runId), eq(reportRuns.claimToken, result.claimToken), eq(reportRuns.status, "running")))
    .returning({ id: reportRuns.id });
  if (rows.length === 0) throw new DomainError("conflict", "This claim is no longer yours (it expired and was taken again, or it already finished)");
  return { ok: true };
}
