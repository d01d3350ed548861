import { eq } from "drizzle-orm";
import { agents } from "../../db/schema/index.js";
import { inTransaction, type Db, type Tx } from "../../db/index.js";
import { EventBatch } from "../../outbox/append.js";
import type { Clock } from "../../clock.js";
import { lockConversation, type Conversation } from "../../assignment/assign.js";
import { canSupervise, canView, inTeamScope, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";

export type Deps = { db: Db; clock: Clock; afterCommit?: (work: FollowUp) => void };
/** Work a command asks for once it has committed: drain a backlog, or hand an agent's chats back to routing. */
export type FollowUp =
  | { kind: "drain"; tenantId: string; agentId?: string; teamIds?: string[] }
  | { kind: "reassign"; tenantId: string; agentId: string; reason: "agent_offline" | "agent_deactivated" }
  | { kind: "dispatch" };

export type CommandContext = { tx: Tx; events: EventBatch; now: Date; followUps: FollowUp[] };

/** One command = one transaction with its outbox events; follow-ups run only after it committed. */
export async function runCommand<T>(deps: Deps, work: (ctx: CommandContext) => Promise<T>): Promise<{ result: T; followUps: FollowUp[] }> {
  let followUps: FollowUp[] = [];
  const result = await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const events = new EventBatch(now);
    followUps = [];
    const value = await work({ tx, events, now, followUps });
    await events.flush(tx);
    return value;
  });
  return { result, followUps };
}

/** Locks a conversation the actor may read; any other is reported as not found. */
export async function lockVisible(tx: Tx, actor: Actor, conversationId: string): Promise<Conversation> {
  const conv = await lockConversation(tx, actor.tenantId, conversationId);
  if (!canView(actor, conv)) throw new DomainError("not_found", "Conversation not found");
  return conv;
}

/**
 * Locks a conversation for an ownership command (claim, reply, transfer, …). A teammate's chat is found, so
 * the command can refuse it by name; the command itself then checks ownership. Outside the teams: not found.
 */
export async function lockForCommand(tx: Tx, actor: Actor, conversationId: string): Promise<Conversation> {
  const conv = await lockConversation(tx, actor.tenantId, conversationId);
  if (!inTeamScope(actor, conv)) throw new DomainError("not_found", "Conversation not found");
  return conv;
}

export async function agentName(tx: Tx, agentId: string): Promise<string> {
  const [row] = await tx.select({ name: agents.name }).from(agents).where(eq(agents.id, agentId));
  return row?.name ?? "another agent";
}

/** Writes on a conversation belong to its assignee; supervisors of its team may act on it too. */
export async function requireOwnerOrSupervisor(tx: Tx, actor: Actor, conv: Conversation): Promise<void> {
  if (conv.assigneeId === actor.agentId || canSupervise(actor, conv)) return;
  if (conv.assigneeId) {
    const name = await agentName(tx, conv.assigneeId);
    throw new DomainError("not_assignee", `This conversation is assigned to ${name}`, { assignee: { id: conv.assigneeId, name } });
  }
  throw new DomainError("not_assignee", "Claim this conversation before acting on it", { assignee: null });
}

export function requireNotResolved(conv: Conversation): void {
  if (conv.status === "resolved") throw new DomainError("conversation_resolved", "This conversation is resolved; reopen it first");
}
