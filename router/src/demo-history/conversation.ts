import type { Contact } from "./contacts.js";
import { drawPlan, menuChoice, type ConversationPlan, type PlanHint } from "./plan.js";
import { lossReasons, phrase } from "./phrases.js";
import { pendingEpisode, reopenEpisode, surveyEpisode, transferEpisode } from "./episodes.js";
import { pick } from "../channels/whatsapp/simulator/random.js";
import { adminResolves, assigneeDoes, between, conversationState, customerWrites, minutes, waitForAssignee, type ConversationState, type World } from "./world.js";

const QUEUE_PATIENCE_MS = minutes(3 * 24 * 60);

async function opening(w: World, contact: Contact, plan: ConversationPlan): Promise<ConversationState> {
  const menu = plan.intent === "menu" ? menuChoice(w) : null;
  if (menu) return customerWrites(w, contact, menu);
  return customerWrites(w, contact, { text: phrase.opener(w.random, plan.intent === "menu" ? "greeting" : plan.intent) });
}

/** The first agent reply; a slow one lets the SLA job (on the simulated clock) alert and escalate first. */
async function firstReply(w: World, convId: string, plan: ConversationPlan) {
  if (plan.slow) {
    for (const after of [5.5, 10.5, 15.5]) w.timeline.spawn(w.timeline.now + minutes(after), () => w.runJob("sla"));
  }
  await w.timeline.after(plan.firstReplyMs);
  await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "first") });
  if (plan.note) await assigneeDoes(w, convId, "/notes", { text: phrase.note(w.random) });
}

/** Back and forth: the customer asks, the assignee answers; a quote tag and the planned transfer happen on the way. */
async function talk(w: World, contact: Contact, convId: string, plan: ConversationPlan) {
  const transferTurn = between(w, 0, plan.turns);
  for (let turn = 0; turn < plan.turns; turn++) {
    await w.timeline.after(Math.floor(minutes(0.5) + w.random() * w.random() * minutes(20)));
    await customerWrites(w, contact, { text: phrase.followUp(w.random) });
    await w.timeline.after(Math.floor(minutes(0.3) + w.random() * w.random() * minutes(8)));
    if (turn === transferTurn) await transferEpisode(w, convId, plan);
    await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "middle") });
    if (turn === 0 && plan.quote) await assigneeDoes(w, convId, "/tags", { tag: "quoted" });
  }
}

function resolveBody(w: World, plan: ConversationPlan) {
  if (plan.outcome === "won") {
    const usd = w.random() < 0.15;
    const value = usd ? between(w, 12, 250) * 10 : between(w, 30, 900) * 50;
    return { outcome: "won", dealValue: value, currency: usd ? "USD" : "MXN" };
  }
  if (plan.outcome === "lost") return { outcome: "lost", lossReason: pick(w.random, lossReasons) };
  return { outcome: "resolved" };
}

async function resolveWithOutcome(w: World, convId: string, plan: ConversationPlan) {
  await w.timeline.after(between(w, minutes(1), minutes(15)));
  if (w.random() < 0.6) await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "closing") });
  await assigneeDoes(w, convId, "/resolve", resolveBody(w, plan));
}

/** A customer who wrote once and went quiet: the agent closes the chat without ever answering (abandonment). */
async function abandoned(w: World, convId: string) {
  await w.timeline.after(between(w, minutes(20), minutes(150)));
  await assigneeDoes(w, convId, "/resolve", { outcome: "resolved" });
}

/** One conversation from first message to resolve (and maybe survey and reopen), driven through the router. */
export async function playConversation(w: World, hint: PlanHint = null): Promise<void> {
  const plan = drawPlan(w, hint);
  const { contact } = w.book.next();
  try {
    const conv = await opening(w, contact, plan);
    if (!(await waitForAssignee(w, conv.id, w.timeline.now + QUEUE_PATIENCE_MS))) return adminResolves(w, conv.id);
    if (plan.outcome === "abandoned") return abandoned(w, conv.id);
    await firstReply(w, conv.id, plan);
    await talk(w, contact, conv.id, plan);
    if (!(await pendingEpisode(w, contact, conv.id, plan))) return;
    await resolveWithOutcome(w, conv.id, plan);
    const state = await conversationState(w, conv.id);
    if (state.status !== "resolved") return adminResolves(w, conv.id);
    await surveyEpisode(w, contact, conv.id, state.cycle, plan);
    await reopenEpisode(w, contact, conv.id, plan);
  } finally {
    contact.busy = false;
  }
}
