import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { reportSchedules } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import type { Clock } from "../../clock.js";
import { requireRole, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { invalidInput, requireTeams } from "../admin/lookup.js";
import { isValidTimeZone } from "../../assignment/business-hours.js";
import { seal } from "../../channels/whatsapp/secret-box.js";

export type ScheduleRow = typeof reportSchedules.$inferSelect;
export type ScheduleInput = {
  name: string; frequency: ScheduleRow["frequency"]; timeZone: string; metricIds: string[];
  breakdown?: ScheduleRow["breakdown"]; format?: ScheduleRow["format"]; locale?: ScheduleRow["locale"];
  teamIds?: string[] | null; webhookUrl?: string | null; active?: boolean;
};
export type SchedulePatch = Partial<ScheduleInput> & { rotateWebhookSecret?: boolean };
type Deps = { db: Db; clock: Clock; secretKey: string };

/** What managers read: everything but the sealed secret. `webhookSecret` appears once, when it is made. */
export type ScheduleView = Omit<ScheduleRow, "webhookSecretSealed"> & { hasWebhookSecret: boolean; webhookSecret?: string };

const view = ({ webhookSecretSealed, ...row }: ScheduleRow, secret?: string): ScheduleView =>
  ({ ...row, hasWebhookSecret: webhookSecretSealed !== null, ...(secret ? { webhookSecret: secret } : {}) });

const newSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

/** Admins manage every schedule; a supervisor those limited to his teams. Agents none. */
export function canManage(actor: Actor, row: Pick<ScheduleRow, "tenantId" | "teamIds">): boolean {
  if (row.tenantId !== actor.tenantId) return false;
  if (actor.role === "admin") return true;
  return actor.role === "supervisor" && row.teamIds !== null && row.teamIds.length > 0 && row.teamIds.every((t) => actor.teamIds.includes(t));
}

/** A supervisor's report counts only his teams: his scope by default, and never wider. */
function scopeFor(actor: Actor, teamIds: string[] | null | undefined): string[] | null {
  if (actor.role === "admin") return teamIds && teamIds.length > 0 ? teamIds : null;
  if (teamIds === undefined || teamIds === null || teamIds.length === 0) {
    if (actor.teamIds.length === 0) throw new DomainError("forbidden", "A supervisor without teams has no numbers to report");
    return actor.teamIds;
  }
  if (!teamIds.every((t) => actor.teamIds.includes(t))) throw new DomainError("forbidden", "A supervisor reports only on his own teams");
  return teamIds;
}

async function checkInput(db: Db, actor: Actor, input: Partial<ScheduleInput>) {
  if (input.timeZone !== undefined && !isValidTimeZone(input.timeZone)) throw invalidInput("timeZone", "unknown time zone");
  if (input.teamIds?.length) await requireTeams(db, actor.tenantId, input.teamIds);
}

export async function listSchedules(db: Db, actor: Actor): Promise<ScheduleView[]> {
  requireRole(actor, "admin", "supervisor");
  const rows = await db.select().from(reportSchedules).where(eq(reportSchedules.tenantId, actor.tenantId)).orderBy(asc(reportSchedules.name), asc(reportSchedules.id));
  return rows.filter((r) => canManage(actor, r)).map((r) => view(r));
}

export async function loadManagedSchedule(db: Db, actor: Actor, id: string): Promise<ScheduleRow> {
  requireRole(actor, "admin", "supervisor");
  const [row] = await db.select().from(reportSchedules).where(and(eq(reportSchedules.tenantId, actor.tenantId), eq(reportSchedules.id, id)));
  if (!row || !canManage(actor, row)) throw new DomainError("not_found", "Report schedule not found");
  return row;
}

export async function createSchedule(deps: Deps, actor: Actor, input: ScheduleInput): Promise<ScheduleView> {
  requireRole(actor, "admin", "supervisor");
  await checkInput(deps.db, actor, input);
  const now = deps.clock.now();
  const secret = input.webhookUrl ? newSecret() : undefined;
  const [row] = await deps.db.insert(reportSchedules).values({
    ...input, id: uuidv7(), tenantId: actor.tenantId, teamIds: scopeFor(actor, input.teamIds), webhookUrl: input.webhookUrl ?? null,
    webhookSecretSealed: secret ? seal(secret, deps.secretKey) : null, createdBy: actor.agentId, createdAt: now, updatedAt: now,
  }).returning();
  return view(row!, secret);
}

export async function updateSchedule(deps: Deps, actor: Actor, id: string, patch: SchedulePatch): Promise<ScheduleView> {
  const current = await loadManagedSchedule(deps.db, actor, id);
  await checkInput(deps.db, actor, patch);
  const { rotateWebhookSecret, teamIds, ...fields } = patch;
  const webhookUrl = patch.webhookUrl === undefined ? current.webhookUrl : patch.webhookUrl;
  const secret = webhookUrl && (rotateWebhookSecret || !current.webhookSecretSealed) ? newSecret() : undefined;
  const [row] = await deps.db.update(reportSchedules).set({
    ...fields, ...(teamIds !== undefined ? { teamIds: scopeFor(actor, teamIds) } : {}),
    ...(secret ? { webhookSecretSealed: seal(secret, deps.secretKey) } : webhookUrl ? {} : { webhookSecretSealed: null }),
    updatedAt: deps.clock.now(),
  }).where(eq(reportSchedules.id, current.id)).returning();
  return view(row!, secret);
}

export async function deleteSchedule(db: Db, actor: Actor, id: string): Promise<void> {
  const current = await loadManagedSchedule(db, actor, id);
  await db.delete(reportSchedules).where(eq(reportSchedules.id, current.id));
}
