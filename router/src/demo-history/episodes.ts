import { and, eq } from "drizzle-orm";
import { slaCycles } from "../db/schema/index.js";
import { pick } from "../channels/whatsapp/simulator/random.js";
import type { Contact } from "./contacts.js";
import type { ConversationPlan } from "./plan.js";
import { phrase, transferReasons } from "./phrases.js";
import { assigneeDoes, between, conversationState, customerWrites, minutes, waitForAssignee, type World } from "./world.js";

const HOUR = minutes(60);
const teamLike = (w: World, pattern: RegExp) => w.ws.teams.find((t) => pattern.test(`${t.department ?? ""} ${t.name}`) && t.memberIds.length > 0);

/** Sales hands a support question to Soporte with a note, and Soporte hands the sale back (scenario 6's shape). */
async function supportAndBack(w: World, convId: string) {
  const support = teamLike(w, /soporte|support/i);
  const before = await conversationState(w, convId);
  if (!support || support.id === before.teamId || !before.assigneeId) return;
  await assigneeDoes(w, convId, "/transfer", { toTeamId: support.id, reason: transferReasons.toSupport, note: phrase.note(w.random) });
  await w.timeline.after(between(w, minutes(2), minutes(8)));
  await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "middle") });
  await w.timeline.after(between(w, minutes(5), minutes(20)));
  await assigneeDoes(w, convId, "/transfer", { toAgentId: before.assigneeId, toTeamId: before.teamId ?? undefined, reason: transferReasons.back });
}

/** A transfer at the planned moment: to Soporte and back, to billing, or to a teammate. Refusals (offline, full) are fine. */
export async function transferEpisode(w: World, convId: string, plan: ConversationPlan) {
  if (plan.transfer === "support_and_back") return supportAndBack(w, convId);
  if (plan.transfer === "to_billing") {
    const billing = teamLike(w, /administ|factur|billing/i);
    if (billing) await assigneeDoes(w, convId, "/transfer", { toTeamId: billing.id, reason: transferReasons.toBilling });
    return;
  }
  if (plan.transfer !== "peer") return;
  const state = await conversationState(w, convId);
  const team = w.ws.teams.find((t) => t.id === state.teamId);
  const peers = (team?.memberIds ?? []).filter((id) => id !== state.assigneeId && w.ws.agents.some((a) => a.id === id));
  if (peers.length > 0) await assigneeDoes(w, convId, "/transfer", { toAgentId: pick(w.random, peers), reason: pick(w.random, transferReasons.peer) });
}

/** Waits for the customer on a pending conversation; false when it ended without him (expired by automation). */
export async function pendingEpisode(w: World, contact: Contact, convId: string, plan: ConversationPlan): Promise<boolean> {
  if (plan.pending === "none") return true;
  await w.timeline.after(between(w, minutes(1), minutes(4)));
  await assigneeDoes(w, convId, "/status", { status: "pending" });
  if (plan.pending === "silent") {
    await w.timeline.after(25 * HOUR); // the expiry job resolves it as expired after 24 h without messages
    return (await conversationState(w, convId)).status !== "resolved";
  }
  if (plan.pending === "nudged") {
    await w.timeline.after(between(w, 18 * HOUR, 21 * HOUR));
    await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "pendingNudge") });
  }
  if (plan.pending === "template" && w.ws.template) {
    await w.timeline.after(between(w, 18 * HOUR, 21 * HOUR));
    await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "pendingNudge") });
    // Past 24 hours since the customer last wrote, only an approved template may reach him.
    await w.timeline.after(between(w, 8 * HOUR, 12 * HOUR));
    await assigneeDoes(w, convId, "/messages", { template: { ...w.ws.template, parameters: [] } });
    if (w.random() < 0.5) {
      await w.timeline.after(25 * HOUR);
      return (await conversationState(w, convId)).status !== "resolved";
    }
  }
  await w.timeline.after(between(w, HOUR, 12 * HOUR));
  if ((await conversationState(w, convId)).status === "resolved") return false;
  await customerWrites(w, contact, { text: phrase.followUp(w.random) });
  await w.timeline.after(between(w, minutes(2), minutes(30)));
  await assigneeDoes(w, convId, "/messages", { text: phrase.agent(w.random, "middle") });
  return true;
}

async function surveyWasSent(w: World, convId: string, cycle: number): Promise<boolean> {
  const [row] = await w.db.select({ at: slaCycles.csatRequestedAt }).from(slaCycles)
    .where(and(eq(slaCycles.conversationId, convId), eq(slaCycles.cycle, cycle)));
  return Boolean(row?.at);
}

/** The customer answers the CSAT survey the resolve sent (a list reply csat_N), sometimes with a comment. */
export async function surveyEpisode(w: World, contact: Contact, convId: string, cycle: number, plan: ConversationPlan) {
  if (plan.csat === null || !(await surveyWasSent(w, convId, cycle))) return;
  await w.timeline.after(between(w, minutes(2), minutes(40)));
  await customerWrites(w, contact, { menu: `csat_${plan.csat}`, title: `${plan.csat}` });
  if (!plan.comment) return;
  await w.timeline.after(between(w, minutes(1), minutes(8)));
  await customerWrites(w, contact, { text: phrase.comment(w.random) });
}

/** The customer comes back inside the reopen window: same conversation, next cycle, usually the same agent. */
export async function reopenEpisode(w: World, contact: Contact, convId: string, plan: ConversationPlan) {
  if (plan.reopenAfterMs === null) return;
  await w.timeline.after(plan.reopenAfterMs);
  const state = await customerWrites(w, contact, { text: phrase.reopen(w.random) });
  if (state.id !== convId) w.tally.reopens--; // came back too late: a new conversation, not a reopen
  w.tally.reopens++;
  if (!(await waitForAssignee(w, state.id, w.timeline.now + 72 * HOUR))) return;
  await w.timeline.after(between(w, minutes(1), minutes(10)));
  await assigneeDoes(w, state.id, "/messages", { text: phrase.agent(w.random, "middle") });
  await w.timeline.after(between(w, minutes(5), minutes(30)));
  await assigneeDoes(w, state.id, "/resolve", { outcome: "resolved" });
}
