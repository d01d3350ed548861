import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { conversations, messages, notes } from "../../db/schema/index.js";
import { assignToAgent } from "../../assignment/assign.js";
import { canSupervise, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { ctxOf } from "../inbound.js";
import { agentName, lockForCommand, lockVisible, requireNotResolved, requireOwnerOrSupervisor, runCommand, type Deps } from "./run.js";

export type ReplyInput = { text: string; sign?: boolean; takeover?: boolean };

/**
 * An agent's WhatsApp reply. Only the assignee may reply; a supervisor may reply on his team's chats, and
 * with `takeover` becomes the assignee first. The customer sees the agent's name only when he signs.
 * The message is queued durably here; the WhatsApp channel sends it.
 */
export async function replyToConversation(deps: Deps, actor: Actor, conversationId: string, input: ReplyInput) {
  return runCommand(deps, async ({ tx, events, now, followUps }) => {
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    if (input.takeover) {
      if (!canSupervise(actor, conv)) throw new DomainError("forbidden", "Only a supervisor can take over a conversation");
      if (conv.assigneeId !== actor.agentId) {
        const previous = conv.assigneeId;
        await assignToAgent(tx, events, conv, actor.agentId, { method: "manual", requireOnline: false, assignedBy: actor.agentId, now });
        if (previous) followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId: previous });
      }
    }
    await requireOwnerOrSupervisor(tx, actor, conv);
    const body = input.sign ? `*${await agentName(tx, actor.agentId)}*\n${input.text}` : input.text;
    const id = uuidv7();
    await tx.insert(messages).values({
      id, tenantId: conv.tenantId, conversationId: conv.id, channelId: conv.channelId, cycle: conv.cycle, direction: "outbound",
      sender: "agent", agentId: actor.agentId, kind: "text", body, status: "queued", createdAt: now,
    });
    await tx.update(conversations).set({ waitingSince: null, lastMessageAt: now }).where(eq(conversations.id, conv.id));
    events.add("message.sent", ctxOf(conv, actor.agentId), {
      cycle: conv.cycle, message_id: id, wa_message_id: null, sender: "agent", template_name: null, kind: "text", length: body.length,
    });
    return { messageId: id, conversationId: conv.id, body };
  });
}

/** Internal notes: any teammate who can see the conversation may write one; they never reach WhatsApp. */
export async function addNote(deps: Deps, actor: Actor, conversationId: string, text: string) {
  return runCommand(deps, async ({ tx, events, now }) => {
    const conv = await lockVisible(tx, actor, conversationId);
    const id = uuidv7();
    await tx.insert(notes).values({ id, tenantId: conv.tenantId, conversationId: conv.id, cycle: conv.cycle, authorId: actor.agentId, body: text, createdAt: now });
    events.add("note.added", ctxOf(conv, actor.agentId), { cycle: conv.cycle, note_id: id, length: text.length });
    return { noteId: id, conversationId: conv.id };
  });
}
