import { and, eq, sql } from "drizzle-orm";
import { agentActivity, agents } from "../db/schema/index.js";
import { inTransaction } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import { reassignAgentConversations } from "../assignment/reassign.js";
import { workspaceAutomation } from "../domain/automation/settings.js";
import type { JobDeps } from "./job-deps.js";

type AgentRef = { id: string; tenant_id: string };
const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const setting = (column: string, fallback: number) => sql.raw(`make_interval(secs => COALESCE(ws.${column}, ${fallback}))`);

/** Online agents whose heartbeats stopped or who stopped touching the page (since they last went online). */
async function goneQuiet(deps: JobDeps, now: Date): Promise<AgentRef[]> {
  return [...await deps.db.execute<AgentRef>(sql`
    SELECT a.id, a.tenant_id FROM agents a
    JOIN agent_activity x ON x.agent_id = a.id
    LEFT JOIN automation_settings ws ON ws.tenant_id = a.tenant_id
    WHERE a.presence = 'online' AND a.active
      AND (GREATEST(x.last_seen_at, COALESCE(a.presence_changed_at, x.last_seen_at)) <= ${iso(now)} - ${setting("disconnect_timeout_seconds", 90)}
        OR GREATEST(x.last_active_at, COALESCE(a.presence_changed_at, x.last_active_at)) <= ${iso(now)} - ${setting("idle_timeout_seconds", 600)})`)];
}

const secondsSince = (now: Date, ...times: Array<Date | null>) =>
  (now.getTime() - Math.max(...times.map((t) => t?.getTime() ?? -Infinity))) / 1000;

/** Sets one agent away, re-checked under his row lock; returns whether it did. */
async function setAway(deps: JobDeps, ref: AgentRef): Promise<boolean> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const [agent] = await tx.select().from(agents).where(and(eq(agents.id, ref.id), eq(agents.presence, "online")))
      .for("no key update", { skipLocked: true });
    const [activity] = await tx.select().from(agentActivity).where(eq(agentActivity.agentId, ref.id));
    if (!agent || !activity) return false;
    const settings = await workspaceAutomation(tx, agent.tenantId);
    const source = secondsSince(now, activity.lastSeenAt, agent.presenceChangedAt) >= settings.disconnectTimeoutSeconds ? "disconnect"
      : secondsSince(now, activity.lastActiveAt, agent.presenceChangedAt) >= settings.idleTimeoutSeconds ? "idle_timeout" : null;
    if (!source) return false;
    await tx.update(agents).set({ presence: "away", presenceChangedAt: now }).where(eq(agents.id, agent.id));
    await tx.update(agentActivity).set({ autoAwayAt: now, autoAwaySource: source }).where(eq(agentActivity.agentId, agent.id));
    const events = new EventBatch(now);
    events.add("agent.presence_changed", { tenantId: agent.tenantId, agentId: agent.id }, { from: "online", to: "away", source });
    await events.flush(tx);
    return true;
  });
}

/**
 * Agents automation set away, still away (presence unchanged since) past the grace period, who hold chats.
 * An agent who came back or changed his presence himself is left alone.
 */
async function pastGrace(deps: JobDeps, now: Date): Promise<AgentRef[]> {
  return [...await deps.db.execute<AgentRef>(sql`
    SELECT a.id, a.tenant_id FROM agents a
    JOIN agent_activity x ON x.agent_id = a.id
    LEFT JOIN automation_settings ws ON ws.tenant_id = a.tenant_id
    WHERE a.presence <> 'online' AND x.auto_away_at IS NOT NULL AND a.presence_changed_at = x.auto_away_at
      AND x.auto_away_at <= ${iso(now)} - ${setting("reassign_grace_seconds", 120)}
      AND EXISTS (SELECT 1 FROM conversations c WHERE c.assignee_id = a.id AND c.status <> 'resolved')`)];
}

/**
 * Inactivity and disconnects: quiet agents are set away, and after the grace period their chats go back
 * to routing. reassignAgentConversations re-checks each chat's assignee under its lock, so two instances
 * reassign every chat once.
 */
export async function runPresenceJob(deps: JobDeps) {
  const now = deps.clock.now();
  let away = 0;
  for (const ref of await goneQuiet(deps, now)) if (await setAway(deps, ref)) away++;
  let reassigned = 0;
  for (const ref of await pastGrace(deps, now)) {
    reassigned += (await reassignAgentConversations(deps, ref.tenant_id, ref.id, "agent_offline")).reassigned;
  }
  return { away, reassigned };
}
