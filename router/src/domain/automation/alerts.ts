import { and, desc, eq, gt, inArray, isNull, or, type SQL } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { alerts } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import type { Conversation } from "../../assignment/assign.js";
import type { Actor } from "../actor.js";

export type AlertKind = (typeof alerts.$inferSelect)["kind"];

/** Records an alert once: a retried job writing the same `dedupeKey` changes nothing. */
export async function raiseAlert(tx: Tx, input: {
  kind: AlertKind; conv: Conversation; agentId: string | null; details: Record<string, unknown>; dedupeKey: string; now: Date;
}): Promise<void> {
  await tx.insert(alerts).values({
    id: uuidv7(), tenantId: input.conv.tenantId, kind: input.kind, conversationId: input.conv.id, cycle: input.conv.cycle,
    teamId: input.conv.teamId, agentId: input.agentId, details: input.details, dedupeKey: input.dedupeKey, createdAt: input.now,
  }).onConflictDoNothing();
}

/** An agent sees alerts about himself; a supervisor also his teams' (and teamless ones); an admin all. */
function visibleAlerts(actor: Actor): SQL {
  const tenant = eq(alerts.tenantId, actor.tenantId);
  if (actor.role === "admin") return tenant;
  const mine = eq(alerts.agentId, actor.agentId);
  if (actor.role === "agent") return and(tenant, mine)!;
  const teams = actor.teamIds.length ? or(isNull(alerts.teamId), inArray(alerts.teamId, actor.teamIds))! : isNull(alerts.teamId);
  return and(tenant, or(mine, teams))!;
}

export type AlertQuery = { after?: string; limit: number };

/**
 * Newest first. The web polls with `after` = the newest id it has (ids are time-ordered UUIDv7) to get
 * only what is new.
 */
export async function listAlerts(db: Db, actor: Actor, query: AlertQuery) {
  const where = query.after ? and(visibleAlerts(actor), gt(alerts.id, query.after)) : visibleAlerts(actor);
  const rows = await db.select().from(alerts).where(where).orderBy(desc(alerts.id)).limit(query.limit);
  return rows.map(({ dedupeKey: _key, tenantId: _tenant, ...alert }) => alert);
}
