import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { conversations, teamMembers } from "../db/schema/index.js";
import { inTransaction, type Db } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import { autoAssign, type AutoAssignOptions } from "./auto.js";

const MAX_PER_DRAIN = 200;

/**
 * Assigns waiting conversations, oldest first, after capacity appeared (an agent came online, resolved,
 * transferred, or got more capacity). Each assignment is its own transaction; SKIP LOCKED lets several
 * drains and inbound messages work side by side without waiting on each other.
 */
export async function drainBacklog(deps: { db: Db; clock: Clock }, tenantId: string, scope: { agentId?: string; teamIds?: string[] }): Promise<number> {
  const teamIds = scope.teamIds ?? (scope.agentId
    ? (await deps.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.agentId, scope.agentId))).map((r) => r.teamId)
    : []);
  if (teamIds.length === 0) return 0;
  const stuckTeams = new Set<string>();
  let assigned = 0;
  for (let i = 0; i < MAX_PER_DRAIN; i++) {
    const open = teamIds.filter((t) => !stuckTeams.has(t));
    if (open.length === 0) break;
    const outcome = await inTransaction(deps.db, async (tx) => {
      const [conv] = await tx.select().from(conversations)
        .where(and(eq(conversations.tenantId, tenantId), inArray(conversations.teamId, open), isNull(conversations.assigneeId), eq(conversations.status, "open")))
        .orderBy(asc(conversations.cycleStartedAt)).limit(1).for("no key update", { skipLocked: true });
      if (!conv) return { done: true as const };
      const now = deps.clock.now();
      const events = new EventBatch(now);
      const agentId = await autoAssign(tx, events, conv, { now });
      await events.flush(tx);
      return { done: false as const, teamId: conv.teamId!, agentId };
    });
    if (outcome.done) break;
    if (outcome.agentId) assigned++;
    else stuckTeams.add(outcome.teamId);
  }
  return assigned;
}

/**
 * One waiting conversation gets its agent by its team's strategy (its sticky agent first, when given), in
 * its own transaction; null when it has
 * an agent already, was resolved meanwhile, or nobody has room (it stays in the queue for the drains).
 */
export async function assignWaiting(
  deps: { db: Db; clock: Clock }, tenantId: string, conversationId: string, opts: Pick<AutoAssignOptions, "routedBy" | "method" | "preferAgentId"> = {},
): Promise<string | null> {
  return inTransaction(deps.db, async (tx) => {
    const [conv] = await tx.select().from(conversations)
      .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, conversationId))).for("no key update");
    if (!conv || conv.assigneeId || conv.status !== "open") return null;
    const now = deps.clock.now();
    const events = new EventBatch(now);
    const agentId = await autoAssign(tx, events, conv, { ...opts, now });
    await events.flush(tx);
    return agentId;
  });
}
