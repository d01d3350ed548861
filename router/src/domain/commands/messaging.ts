import { uuidv7 } from "uuidv7";
import { notes } from "../../db/schema/index.js";
import { assignToAgent } from "../../assignment/assign.js";
import { canSupervise, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { ctxOf } from "../inbound.js";
import { agentName, lockForCommand, lockVisible, requireNotResolved, requireOwnerOrSupervisor, runCommand, type CommandContext, type Deps } from "./run.js";
import type { Conversation } from "../../assignment/assign.js";
import { queueOutbound } from "../../channels/whatsapp/outbound-queue.js";
import { describeContent, type OutboundContent } from "../../channels/whatsapp/outbound-content.js";
import { isWindowOpen, windowClosesAt } from "../../channels/whatsapp/window.js";
import { prepareTemplate } from "../templates.js";

export type ReplyInput = OutboundContent & { sign?: boolean; takeover?: boolean };

/** Takes a supervisor's conversation over before he replies, when he asks to. */
async function takeOverIfAsked(ctx: CommandContext, actor: Actor, conv: Conversation, takeover?: boolean) {
  if (!takeover) return;
  if (!canSupervise(actor, conv)) throw new DomainError("forbidden", "Only a supervisor can take over a conversation");
  if (conv.assigneeId === actor.agentId) return;
  const previous = conv.assigneeId;
  await assignToAgent(ctx.tx, ctx.events, conv, actor.agentId, { method: "manual", requireOnline: false, assignedBy: actor.agentId, now: ctx.now });
  if (previous) ctx.followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId: previous });
}

/** Free-form content only inside the 24-hour window; approved templates at any time. */
async function contentToStore(ctx: CommandContext, conv: Conversation, input: ReplyInput) {
  if ("template" in input) {
    const t = await prepareTemplate(ctx.tx, conv.tenantId, input.template);
    return { kind: "template" as const, body: t.body, payload: t.payload, templateName: t.name };
  }
  if (!isWindowOpen(conv.lastInboundAt, ctx.now)) {
    const closedAt = windowClosesAt(conv.lastInboundAt);
    throw new DomainError("window_closed", closedAt
      ? `The 24-hour window closed at ${closedAt.toISOString()}; only an approved template can be sent now`
      : "The customer has not written yet; only an approved template can be sent", { windowClosedAt: closedAt?.toISOString() ?? null });
  }
  return { ...describeContent(input), templateName: null };
}

/**
 * An agent's WhatsApp reply. Only the assignee may reply; a supervisor may reply on his team's chats, and
 * with `takeover` becomes the assignee first. The customer sees the agent's name only when he signs.
 * The message is queued durably here; the dispatcher sends it, so a slow Graph API never blocks an agent.
 */
export async function replyToConversation(deps: Deps, actor: Actor, conversationId: string, input: ReplyInput) {
  return runCommand(deps, async (ctx) => {
    const { tx, events, now } = ctx;
    const conv = await lockForCommand(tx, actor, conversationId);
    requireNotResolved(conv);
    await takeOverIfAsked(ctx, actor, conv, input.takeover);
    await requireOwnerOrSupervisor(tx, actor, conv);
    const content = await contentToStore(ctx, conv, input);
    const body = input.sign && content.kind === "text" ? `*${await agentName(tx, actor.agentId)}*\n${content.body}` : content.body;
    const payload = input.sign && content.kind === "text" ? null : content.payload;
    const id = await queueOutbound(tx, events, conv, {
      sender: "agent", agentId: actor.agentId, kind: content.kind, body, payload, templateName: content.templateName,
    }, now);
    ctx.followUps.push({ kind: "dispatch" });
    return { messageId: id, conversationId: conv.id, body, status: "queued" };
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
