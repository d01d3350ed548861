import { inTransaction, type Db, type Tx } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import type { messageKinds } from "../events/index.js";
import { assignDealt, autoAssign, dealtSeat, lockTeamAndPick, type AutoAssignOptions } from "../assignment/auto.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import type { Conversation } from "../assignment/assign.js";
import { DomainError } from "./errors.js";
import { receiveSurveyReply } from "./automation/csat.js";
import { sendAwayMessageIfClosed } from "./automation/away.js";
import { arrivalOf, arrive, readPlacementContext, type Arrival, type ArrivalRow } from "./inbound-reads.js";
import { placeMessage, type Placement } from "./inbound-placement.js";
import { DuplicateMessage, storeInbound } from "./inbound-store.js";
import type { TeamTurn, TeamTurns } from "./team-turns.js";

export { ctxOf } from "./inbound-placement.js";

export type InboundMessage = {
  phoneNumberId: string;
  from: string;
  contactName?: string | null;
  waMessageId: string;
  kind: (typeof messageKinds)[number];
  text: string | null;
  /** The id of a bot-menu (interactive list/button) reply, used by routing rules of kind "menu". */
  menuChoice?: string | null;
};

export type InboundResult =
  | { duplicate: true }
  | { duplicate: false; conversationId: string; messageId: string; assigneeId: string | null; opened: "new" | "reopened" | "existing" };

type Deps = { db: Db; clock: Clock };

/**
 * A customer message, in one transaction of few round trips: contact upserted (its row lock serialises one
 * customer's messages), survey answers recorded apart, conversation found, reopened or opened and routed,
 * message stored once per WhatsApp id, away message when the team is closed, and an agent when it has none.
 */
export async function receiveInbound(deps: Deps, msg: InboundMessage): Promise<InboundResult> {
  try {
    return await inTransaction(deps.db, (tx) => receiveInboundIn(tx, deps.clock, msg));
  } catch (error) {
    if (error instanceof DuplicateMessage) return { duplicate: true };
    throw error;
  }
}

/**
 * The inbound path inside a transaction the caller holds, possibly with other customers' messages (a batch):
 * `batch.turns` then makes their automatic assignments take turns per team, as separate transactions would,
 * and `batch.arrival` is its row of the batch's one contact upsert.
 * Throws `DuplicateMessage` once it has written: the caller must roll back.
 */
export async function receiveInboundIn(tx: Tx, clock: Clock, msg: InboundMessage, batch?: InBatch): Promise<InboundResult> {
  let joined = false;
  const join = (teamId: string | null, dealable?: boolean) => {
    if (joined) return undefined;
    joined = true;
    return batch?.turns.join(teamId, dealable);
  };
  try {
    return await placeAndStore(tx, clock.now(), msg, join, batch);
  } finally {
    join(null); // the batch's team locks wait for every message
  }
}

/**
 * A message's share of its batch: the team turns; its row of the batch's contact upsert; `lastSent`, to call
 * once it will send no more statements (the batch's COMMIT goes right behind the last one's); and
 * `assignAfterCommit`, for a chat whose dealt agent refused once nothing more could be sent.
 */
export type InBatch = {
  turns: TeamTurns; arrival: Promise<ArrivalRow | undefined>;
  lastSent: () => void; assignAfterCommit: (conv: Conversation, opts: AutoAssignOptions) => void;
};

async function placeAndStore(
  tx: Tx, now: Date, msg: InboundMessage, join: (teamId: string | null, dealable?: boolean) => TeamTurn | undefined, batch?: InBatch,
): Promise<InboundResult> {
  const events = new EventBatch(now);
  let allSent = false;
  const mine = batch && { ...batch, lastSent: () => { allSent = true; batch.lastSent(); } };
  const arrival = batch ? await batch.arrival.then((row) => row && arrivalOf(row, tx, events, now, msg)) : await arrive(tx, events, now, msg);
  if (!arrival) throw new DomainError("not_found", `No channel for phone number id ${msg.phoneNumberId}`);
  // In a batch, a returning customer takes no turn: his chat, if it needs an agent, gets one just after the
  // batch commits. So the batch's team locks and picks go out now, with his reads, not a round trip later.
  if (batch && !arrival.contact.inserted) join(null);
  const ctx = await readPlacementContext(arrival);
  if (ctx.duplicate) return { duplicate: true };
  const survey = await receiveSurveyReply(tx, events, arrival.reply, ctx.survey);
  if (survey === "duplicate") throw new DuplicateMessage();
  if (survey) {
    await events.flush(tx);
    return { duplicate: false as const, ...survey, assigneeId: null, opened: "existing" as const };
  }
  const placement = await placeMessage(arrival, ctx);
  const { conv, opened, preferAgentId, routedBy } = placement;
  const assign = { now, routedBy, preferAgentId };
  const dealing = mine && dealsFirst(placement, now) ? join(conv.teamId, true) : undefined;
  if (dealing) return storeDealt(arrival, placement, dealing, mine!, assign);
  const stored = storeInbound(arrival, placement);
  const turn = join(!conv.assigneeId && conv.teamId ? conv.teamId : null, !preferAgentId);
  // Alone, the team lock and pick travel with the message's write, unless the team is closed now.
  const early = !batch && !conv.assigneeId && !(placement.team && !isTeamOpen(placement.team, now));
  const picked = early ? lockTeamAndPick(tx, conv, assign) : null;
  picked?.catch(() => {}); // a duplicate rolls everything back: this answer no longer matters
  try {
    const { messageId } = await stored;
    await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, placement.team);
    if (mine && !turn && !conv.assigneeId) { // no team lock outside the batch's
      if (handsOut(placement.team, now)) mine.assignAfterCommit(conv, assign);
    }
    else if (!conv.assigneeId) await assignChat(tx, events, conv, assign, turn, picked, mine);
    if (allSent && events.events.length > 0) throw new Error("inbound: events recorded after the batch's last statement"); // its COMMIT may be out
    await events.flush(tx);
    return { duplicate: false as const, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened };
  } finally {
    turn?.done();
  }
}

/** Whether a team hands chats out by itself now (it has a strategy and is open), as its cached settings say. */
const handsOut = (team: Placement["team"], now: Date) => !!team && team.strategy !== "manual" && isTeamOpen(team, now);

/** A batch deals a new chat before storing it when its team hands chats out by itself now and no sticky agent comes first. */
const dealsFirst = (p: Placement, now: Date) => !!p.create && !p.preferAgentId && handsOut(p.team, now);

/**
 * A new chat of a batch, dealt before it is stored: the message, the conversation with its agent and the
 * assignment go in one statement, the batch's last for this chat. A team going one chat after the other
 * (a sticky chat in it) or found closed under its lock stores first and assigns as usual; an agent who no
 * longer has room leaves the chat waiting, for the batch to assign after its commit.
 */
async function storeDealt(a: Arrival, p: Placement, turn: TeamTurn, batch: InBatch, assign: AutoAssignOptions): Promise<InboundResult> {
  const { tx, events, now } = a;
  const { conv } = p;
  try {
    await turn.ready;
    const [team, deal] = await Promise.all([turn.team, turn.deal]);
    const dealt = deal && dealtSeat(team, deal, assign);
    if (!dealt) {
      const { messageId } = await storeInbound(a, p);
      await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, team && { ...p.team!, ...team });
      await assignChat(tx, events, conv, assign, turn, null);
      await events.flush(tx);
      return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: "new" };
    }
    const stored = storeInbound(a, p, dealt);
    turn.done();
    batch.lastSent();
    const { messageId, assigned } = await stored;
    if (!assigned) batch.assignAfterCommit(conv, assign);
    return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: "new" };
  } finally {
    turn.done();
  }
}

/** An unassigned chat gets its agent: the one its batch dealt it, or the pick of its own team lock. */
async function assignChat(
  tx: Tx, events: EventBatch, conv: Conversation, assign: AutoAssignOptions, turn: TeamTurn | undefined,
  picked: ReturnType<typeof lockTeamAndPick>, batch?: InBatch,
): Promise<void> {
  await turn?.ready;
  const deal = await turn?.deal;
  if (!turn || !deal) {
    await autoAssign(tx, events, conv, { ...assign, onSent: turn?.done, lockedTeam: turn?.team }, picked ?? undefined);
    return;
  }
  const agentId = await assignDealt(tx, events, conv, { ...assign, onSent: turn.done, lastSent: batch?.lastSent }, await turn.team, deal);
  if (agentId === "refused") batch!.assignAfterCommit(conv, assign);
}
