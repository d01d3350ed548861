import { and, eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { agents, conversations } from "../db/schema/index.js";
import { iso, rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import type { EventBatch } from "../outbox/append.js";
import { DomainError } from "../domain/errors.js";
import type { assignmentMethods } from "../events/index.js";

export type Conversation = typeof conversations.$inferSelect;
export type Agent = typeof agents.$inferSelect;
export type AssignmentMethod = (typeof assignmentMethods)[number];

export type AssignOptions = {
  method: AssignmentMethod;
  strategy?: "round_robin" | "least_loaded" | "manual" | null;
  requireOnline: boolean;
  assignedBy?: string | null;
  now: Date;
  /** Round robin: moves this team's pointer to the agent, in the same round trip, only if the agent took the chat. */
  advanceRoundRobin?: string | null;
};

export async function lockConversation(tx: Tx, tenantId: string, id: string): Promise<Conversation> {
  const [row] = await tx
    .select()
    .from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.id, id)))
    .for("no key update");
  if (!row) throw new DomainError("not_found", "Conversation not found");
  return row;
}

type AgentRoom = { id: string; name: string; active: boolean; presence: string; capacity: number; active_chats: number };

/** Why an agent can't take one more chat right now, or null when they can. */
function refusal(agent: AgentRoom | undefined, requireOnline: boolean): DomainError | null {
  if (!agent) return new DomainError("not_found", "Agent not found");
  const who = { id: agent.id, name: agent.name };
  if (!agent.active || (requireOnline && agent.presence !== "online")) {
    return new DomainError("agent_unavailable", `${agent.name} is not available`, { agent: { ...who, presence: agent.presence } });
  }
  if (agent.active_chats >= agent.capacity) {
    const load = agent.active_chats;
    return new DomainError("agent_at_capacity", `${agent.name} is at capacity (${load}/${agent.capacity})`, { agent: { ...who, load, capacity: agent.capacity } });
  }
  return null;
}

/** Ends the current stint of whoever holds the conversation (agent or team queue). */
export async function endCurrentAssignment(tx: Tx, conversationId: string, now: Date, reason: string): Promise<void> {
  const sql = rawSql(tx);
  await sql`UPDATE assignments SET ended_at = ${iso(now)}, end_reason = ${reason} WHERE conversation_id = ${conversationId} AND ended_at IS NULL`;
}

/** Puts a locked conversation back in its team's queue: the current stint ends, nobody holds it. */
export async function unassign(tx: Tx, conv: Conversation, now: Date, reason: string): Promise<void> {
  await endCurrentAssignment(tx, conv.id, now, reason);
  await rawSql(tx)`UPDATE conversations SET assignee_id = NULL, assigned_at = NULL WHERE id = ${conv.id}`;
  conv.assigneeId = null;
  conv.assignedAt = null;
}

/**
 * Gives a locked conversation to an agent in one statement. The agent's row lock is taken first, so every
 * path that gives an agent a chat is serialised per agent and capacity can never be exceeded under
 * concurrency; the lock waits for whoever holds it and then reads the agent's latest row. Every write (the
 * history row, the conversation, whose trigger moves active_chats and last_assigned_at, the previous stint,
 * the round-robin pointer, the `conversation.assigned` event) is gated on that row being active, present
 * (when required) and with room, so a refusal changes nothing.
 * Returns the refusal instead of throwing so callers can try the next candidate.
 */
export async function tryAssignToAgent(tx: Tx, events: EventBatch, conv: Conversation, agentId: string, opts: AssignOptions) {
  if (conv.assigneeId === agentId) return { ok: false as const, error: new DomainError("already_assigned", "Already assigned to this agent") };
  const sql = rawSql(tx);
  const now = iso(opts.now);
  const event = events.prepare(
    "conversation.assigned",
    { tenantId: conv.tenantId, conversationId: conv.id, channelId: conv.channelId, contactId: conv.contactId, agentId, teamId: conv.teamId },
    {
      cycle: conv.cycle, assignee_type: "agent", to_agent_id: agentId, to_team_id: conv.teamId,
      previous_agent_id: conv.assigneeId, method: opts.method, strategy: opts.strategy ?? null,
    },
  );
  const granted = sql`EXISTS (SELECT 1 FROM room)`;
  const ending = conv.assigneeId || conv.assignedAt;
  const [, [agent]] = await Promise.all([
    events.flush(tx), // what the command recorded before this assignment stays before it in the outbox
    sql<Array<AgentRoom & { granted: boolean }>>`WITH
      agent AS (SELECT id, name, active, presence, capacity, active_chats FROM agents
        WHERE tenant_id = ${conv.tenantId} AND id = ${agentId} FOR NO KEY UPDATE),
      room AS (SELECT id FROM agent WHERE active AND (presence = 'online' OR NOT ${opts.requireOnline}) AND active_chats < capacity),
      stint AS (
        INSERT INTO assignments (id, tenant_id, conversation_id, cycle, agent_id, team_id, method, assigned_by, started_at)
        SELECT ${uuidv7()}, ${conv.tenantId}, ${conv.id}, ${conv.cycle}, id, ${conv.teamId}, ${opts.method}, ${opts.assignedBy ?? null}, ${now}
        FROM room),
      ${ending ? sql`ended AS (UPDATE assignments SET ended_at = ${now}, end_reason = ${opts.method}
        WHERE conversation_id = ${conv.id} AND ended_at IS NULL AND ${granted}),` : sql``}
      ${opts.advanceRoundRobin ? sql`pointer AS (UPDATE teams SET rr_last_agent_id = ${agentId} WHERE id = ${opts.advanceRoundRobin} AND ${granted}),` : sql``}
      assigned AS (${events.insertIf(tx, event, granted)}),
      given AS (UPDATE conversations SET assignee_id = ${agentId}, assigned_at = ${now} WHERE id = ${conv.id} AND ${granted})
      SELECT agent.*, ${granted} AS granted FROM agent`,
  ]);
  events.stored(agent?.granted ? 1 : 0);
  if (!agent?.granted) return { ok: false as const, error: refusal(agent, opts.requireOnline) ?? new DomainError("agent_unavailable", "Agent is not available") };
  const previousAgentId = conv.assigneeId;
  conv.assigneeId = agentId;
  conv.assignedAt = opts.now;
  return { ok: true as const, agent: { id: agent.id, name: agent.name }, previousAgentId };
}

export async function assignToAgent(tx: Tx, events: EventBatch, conv: Conversation, agentId: string, opts: AssignOptions) {
  const result = await tryAssignToAgent(tx, events, conv, agentId, opts);
  if (!result.ok) throw result.error;
  return result;
}
