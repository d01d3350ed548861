import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { conversations, messages } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import type { EventBatch } from "../../outbox/append.js";
import { lockConversation, type Conversation } from "../../assignment/assign.js";
import { isWindowOpen } from "../../channels/whatsapp/window.js";
import type { CommandContext } from "../commands/run.js";
import type { InboundMessage } from "../inbound.js";
import { ctxOf } from "../inbound.js";
import { effectiveAutomation } from "./settings.js";
import { lockCycleState, updateCycleState, type CycleState } from "./cycle-state.js";
import { queueAutomatedMessage } from "./automated-message.js";

export const CSAT_CHOICE = /^csat_([1-5])$/;
/** A survey can be answered for a day; a text within 10 minutes of the score is its comment. */
export const CSAT_ANSWER_WINDOW_MS = 24 * 3600 * 1000;
export const CSAT_COMMENT_WINDOW_MS = 10 * 60 * 1000;

const labels = ["Muy mala", "Mala", "Regular", "Buena", "Excelente"];
const survey = {
  interactive: {
    type: "list" as const, button: "Calificar",
    body: "¿Cómo calificarías la atención que recibiste? Elige de 1 a 5. Si quieres, después escríbenos un comentario.",
    sections: [{ title: "Calificación", rows: labels.map((label, i) => ({ id: `csat_${i + 1}`, title: `${i + 1} - ${label}` })) }],
  },
};

/**
 * In the resolve command's transaction: an agent resolved (resolved, won or lost) a conversation whose team
 * or workspace has CSAT on, and the 24-hour window is open (it normally is: the customer just wrote). The
 * survey is queued once per cycle, with `csat.requested`.
 */
export async function requestCsatOnResolve(ctx: CommandContext, conv: Conversation, outcome: string, resolvedBy: string | null) {
  if (!["resolved", "won", "lost"].includes(outcome)) return;
  const settings = await effectiveAutomation(ctx.tx, conv.tenantId, conv.teamId);
  if (!settings.csatEnabled) return;
  const state = await lockCycleState(ctx.tx, conv);
  if (state.csatRequestedAt || state.csatSkippedAt) return;
  if (!isWindowOpen(conv.lastInboundAt, ctx.now)) {
    await updateCycleState(ctx.tx, state, { csatSkippedAt: ctx.now });
    return;
  }
  await queueAutomatedMessage(ctx.tx, ctx.events, conv, survey, ctx.now);
  ctx.events.add("csat.requested", ctxOf(conv, resolvedBy), { cycle: conv.cycle });
  await updateCycleState(ctx.tx, state, { csatRequestedAt: ctx.now });
  ctx.followUps.push({ kind: "dispatch" });
}

export type Reply = { tenantId: string; channelId: string; contactId: string; msg: InboundMessage; now: Date };
export type SurveyReply = { conversationId: string; messageId: string } | "duplicate" | null;

/**
 * Which survey a message could answer, as the inbound read looks it up: a survey choice (`csat_4`) answers the
 * latest survey requested since `since` (a day ago); a text may comment the latest score given since `since`
 * (ten minutes ago), `scored`. Null when the message can be neither. A contact met just now finds none.
 */
export function surveyWindow(msg: InboundMessage, now: Date): { since: Date; scored: boolean } | null {
  if (msg.menuChoice && CSAT_CHOICE.test(msg.menuChoice)) return { since: new Date(now.getTime() - CSAT_ANSWER_WINDOW_MS), scored: false };
  if (msg.kind !== "text" || !msg.text) return null;
  return { since: new Date(now.getTime() - CSAT_COMMENT_WINDOW_MS), scored: true };
}

async function lockSurvey(tx: Tx, r: Reply, row: { id: string; cycle: number }) {
  const conv = await lockConversation(tx, r.tenantId, row.id);
  return { conv, state: await lockCycleState(tx, conv, row.cycle) };
}

async function storeReply(tx: Tx, r: Reply, conv: Conversation, cycle: number): Promise<string | null> {
  const id = uuidv7();
  const inserted = await tx.insert(messages).values({
    id, tenantId: r.tenantId, conversationId: conv.id, channelId: r.channelId, cycle, direction: "inbound", sender: "customer",
    kind: r.msg.kind, body: r.msg.text, waMessageId: r.msg.waMessageId, status: "received", createdAt: r.now,
  }).onConflictDoNothing().returning({ id: messages.id });
  return inserted.length ? id : null;
}

function submitted(events: EventBatch, conv: Conversation, state: CycleState, commentLength: number) {
  events.add("csat.submitted", ctxOf({ ...conv, cycle: state.cycle }, conv.resolvedAssigneeId), {
    cycle: state.cycle, score: state.csatScore!, comment_length: commentLength,
  });
}

/**
 * Called by the inbound path before any routing, with what `surveyWindow`'s lookup found. A survey choice
 * (`csat_4`) is the score; a text soon after a score, while the conversation is still resolved, is its
 * comment. Either is stored in the surveyed cycle and never reopens the conversation nor opens a new one.
 * Anything else returns null: a normal message.
 */
export async function receiveSurveyReply(tx: Tx, events: EventBatch, r: Reply, surveyed: { id: string; cycle: number } | undefined): Promise<SurveyReply> {
  if (!surveyed) return null;
  const found = await lockSurvey(tx, r, surveyed);
  const choice = r.msg.menuChoice ? CSAT_CHOICE.exec(r.msg.menuChoice) : null;
  if (choice) {
    const messageId = await storeReply(tx, r, found.conv, found.state.cycle);
    if (!messageId) return "duplicate";
    // A second tap on the list is stored but does not change the first score.
    if (found.state.csatScore === null) await updateCycleState(tx, found.state, { csatScore: Number(choice[1]), csatScoredAt: r.now });
    return { conversationId: found.conv.id, messageId };
  }
  if (found.state.csatSubmittedAt || found.conv.status !== "resolved" || found.conv.cycle !== found.state.cycle) return null;
  const messageId = await storeReply(tx, r, found.conv, found.state.cycle);
  if (!messageId) return "duplicate";
  await updateCycleState(tx, found.state, { csatCommentLength: r.msg.text!.length, csatSubmittedAt: r.now });
  submitted(events, found.conv, found.state, r.msg.text!.length);
  return { conversationId: found.conv.id, messageId };
}

/** A score whose comment window passed without a comment: `csat.submitted` with comment length 0. */
export async function finalizeScore(tx: Tx, events: EventBatch, conversationId: string, cycle: number, now: Date): Promise<boolean> {
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for("no key update", { skipLocked: true });
  if (!conv) return false;
  const state = await lockCycleState(tx, conv, cycle);
  if (state.csatScore === null || state.csatSubmittedAt || state.csatScoredAt!.getTime() > now.getTime() - CSAT_COMMENT_WINDOW_MS) return false;
  await updateCycleState(tx, state, { csatCommentLength: 0, csatSubmittedAt: now });
  submitted(events, conv, state, 0);
  return true;
}
