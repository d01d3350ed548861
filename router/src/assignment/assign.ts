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

/**
 * Checks whether an agent can take one more chat. Locks the agent row first, so every path that gives an
 * agent a chat is serialised per agent and capacity can never be exceeded under concurrency.
 */
export async function checkAgentRoom(tx: Tx, tenantId: string, agentId: string, requireOnline: boolean) {
  const sql = rawSql(tx);
  const [agent] = await sql<AgentRoom[]>`
    SELECT id, name, active, presence, capacity, active_chats FROM agents
    WHERE tenant_id = ${tenantId} AND id = ${agentId} FOR NO KEY UPDATE`;
  if (!agent) return { ok: false as const, error: new DomainError("not_found", "Agent not found") };
  const who = { id: agent.id, name: agent.name };
  if (!agent.active || (requireOnline && agent.presence !== "online")) {
    return { ok: false as const, error: new DomainError("agent_unavailable", `${agent.name} is not available`, { agent: { ...who, presence: agent.presence } }) };
  }
  const load = agent.active_chats;
  if (load >= agent.capacity) {
    return { ok: false as const, error: new DomainError("agent_at_capacity", `${agent.name} is at capacity (${load}/${agent.capacity})`, { agent: { ...who, load, capacity: agent.capacity } }) };
  }
  return { ok: true as const, agent: who };
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
 * Gives a locked conversation to an agent: capacity and presence checked under the agent's row lock, the
 * history row and the `conversation.assigned` event all in the caller's transaction (the trigger on
 * conversations moves the agents' active_chats). Returns the refusal instead of throwing so callers can
 * try the next candidate.
 */
export async function tryAssignToAgent(tx: Tx, events: EventBatch, conv: Conversation, agentId: string, opts: AssignOptions) {
  if (conv.assigneeId === agentId) return { ok: false as const, error: new DomainError("already_assigned", "Already assigned to this agent") };
  const room = await checkAgentRoom(tx, conv.tenantId, agentId, opts.requireOnline);
  if (!room.ok) return room;
  const sql = rawSql(tx);
  const now = iso(opts.now);
  // Independent writes issued together: postgres.js pipelines them into one round trip on the transaction.
  await Promise.all([
    conv.assigneeId || conv.assignedAt ? endCurrentAssignment(tx, conv.id, opts.now, opts.method) : null,
    sql`UPDATE conversations SET assignee_id = ${agentId}, assigned_at = ${now} WHERE id = ${conv.id}`,
    sql`INSERT INTO assignments (id, tenant_id, conversation_id, cycle, agent_id, team_id, method, assigned_by, started_at)
      VALUES (${uuidv7()}, ${conv.tenantId}, ${conv.id}, ${conv.cycle}, ${agentId}, ${conv.teamId}, ${opts.method}, ${opts.assignedBy ?? null}, ${now})`,
    sql`UPDATE agents SET last_assigned_at = ${now} WHERE id = ${agentId}`,
  ]);
  events.add(
    "conversation.assigned",
    { tenantId: conv.tenantId, conversationId: conv.id, channelId: conv.channelId, contactId: conv.contactId, agentId, teamId: conv.teamId },
    {
      cycle: conv.cycle, assignee_type: "agent", to_agent_id: agentId, to_team_id: conv.teamId,
      previous_agent_id: conv.assigneeId, method: opts.method, strategy: opts.strategy ?? null,
    },
  );
  const previousAgentId = conv.assigneeId;
  conv.assigneeId = agentId;
  conv.assignedAt = opts.now;
  return { ok: true as const, agent: room.agent, previousAgentId };
}

export async function assignToAgent(tx: Tx, events: EventBatch, conv: Conversation, agentId: string, opts: AssignOptions) {
  const result = await tryAssignToAgent(tx, events, conv, agentId, opts);
  if (!result.ok) throw result.error;
  return result;
}
