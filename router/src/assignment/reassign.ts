import { and, eq, ne } from "drizzle-orm";
import { conversations } from "../db/schema/index.js";
import { inTransaction, type Db } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import { lockConversation, unassign } from "./assign.js";
import { autoAssign } from "./auto.js";

export type ReassignReason = "agent_offline" | "agent_deactivated";

/**
 * Hands every open chat of an agent back to routing (deactivated, or gone past the inactivity timeout):
 * each one unassigned with its reason and offered to the next available teammate, so no customer is left
 * hanging. One transaction per conversation, conversation locked first like every other command.
 */
export async function reassignAgentConversations(deps: { db: Db; clock: Clock }, tenantId: string, agentId: string, reason: ReassignReason) {
  const held = await deps.db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.tenantId, tenantId), eq(conversations.assigneeId, agentId), ne(conversations.status, "resolved")));
  let reassigned = 0;
  for (const { id } of held) {
    const to = await inTransaction(deps.db, async (tx) => {
      const conv = await lockConversation(tx, tenantId, id);
      if (conv.assigneeId !== agentId || conv.status === "resolved") return null;
      const now = deps.clock.now();
      const events = new EventBatch(now);
      await unassign(tx, conv, now, reason);
      events.add("conversation.unassigned", { tenantId, conversationId: conv.id, channelId: conv.channelId, contactId: conv.contactId, teamId: conv.teamId, agentId },
        { cycle: conv.cycle, previous_agent_id: agentId, reason });
      const method = reason === "agent_offline" ? "reassign_timeout" : undefined;
      const next = await autoAssign(tx, events, conv, { now, method, excludeAgentIds: [agentId] });
      await events.flush(tx);
      return next;
    });
    if (to) reassigned++;
  }
  return { held: held.length, reassigned };
}
