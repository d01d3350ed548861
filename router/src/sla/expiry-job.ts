import { and, eq, sql } from "drizzle-orm";
import { conversations } from "../db/schema/index.js";
import { inTransaction } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import { closeCycle } from "../domain/close-cycle.js";
import { workspaceAutomation } from "../domain/automation/settings.js";
import { drainFreed, type JobDeps } from "./job-deps.js";

/**
 * Pending conversations (waiting on the customer) with no message for the workspace's expiry time. The last
 * message is the clock: setting pending right after a reply, or a customer writing, restarts it.
 */
async function candidates(deps: JobDeps, now: Date) {
  return [...await deps.db.execute<{ id: string }>(sql`
    SELECT c.id FROM conversations c LEFT JOIN automation_settings ws ON ws.tenant_id = c.tenant_id
    WHERE c.status = 'pending'
      AND c.last_message_at <= ${now.toISOString()}::timestamptz - make_interval(secs => COALESCE(ws.pending_expiry_seconds, 86400))
    ORDER BY c.last_message_at LIMIT 500`)];
}

/** Resolves one as expired by automation, re-checked under its lock; returns the agent whose seat it freed. */
async function expireOne(deps: JobDeps, id: string) {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const [conv] = await tx.select().from(conversations).where(and(eq(conversations.id, id), eq(conversations.status, "pending")))
      .for("no key update", { skipLocked: true });
    if (!conv) return null;
    const { pendingExpirySeconds } = await workspaceAutomation(tx, conv.tenantId);
    if (conv.lastMessageAt.getTime() > now.getTime() - pendingExpirySeconds * 1000) return null;
    const events = new EventBatch(now);
    const assignee = await closeCycle(tx, events, conv, now, { outcome: "expired", resolvedBy: "automation" });
    await events.flush(tx);
    return { tenantId: conv.tenantId, assignee };
  });
}

export async function runExpiryJob(deps: JobDeps): Promise<{ expired: number }> {
  let expired = 0;
  for (const { id } of await candidates(deps, deps.clock.now())) {
    const out = await expireOne(deps, id);
    if (!out) continue;
    expired++;
    if (out.assignee) await drainFreed(deps, out.tenantId, out.assignee);
  }
  return { expired };
}
