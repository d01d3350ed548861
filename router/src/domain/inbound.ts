import { inTransaction, type Db, type Tx } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import type { messageKinds } from "../events/index.js";
import { autoAssign, dealtAssignment, lockTeamAndPick, type AutoAssignOptions } from "../assignment/auto.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import type { Conversation } from "../assignment/assign.js";
import { DomainError } from "./errors.js";
import { receiveSurveyReply } from "./automation/csat.js";
import { sendAwayMessageIfClosed } from "./automation/away.js";
import { arrivalOf, arrive, readPlacementContext, type Arrival, type ArrivalRead } from "./inbound-reads.js";
import { placeMessage, type Placement } from "./inbound-placement.js";
import { DuplicateMessage, storeInbound } from "./inbound-store.js";
import type { DealtStores } from "./inbound-dealt.js";
import type { ContinuedStores } from "./inbound-existing.js";
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
 * The inbound path inside a transaction the caller holds, possibly with other customers' messages (a batch,
 * `InBatch`). Throws `DuplicateMessage` once it has written: the caller must roll back.
 */
export async function receiveInboundIn(tx: Tx, clock: Clock, msg: InboundMessage, batch?: InBatch): Promise<InboundResult> {
  let joined = false;
  const join = (teamId: string | null) => {
    if (joined) return undefined;
    joined = true;
    return batch?.turns.join(teamId);
  };
  try {
    return await placeAndStore(tx, batch?.now ?? clock.now(), msg, join, batch);
  } finally {
    join(null); // the batch's team locks wait for every message
  }
}

/**
 * A message's share of its batch: the batch's time; its team turns and the store of the new chats they deal
 * (`dealt`); the store of the messages on conversations their customers already have (`continued`); its read of the batch's arrival (`arriveTogether`); `lastSent`, to call once it will send no more statements (the batch's COMMIT goes right
 * behind the last one's); and `assignAfterCommit`, for a chat that needs an agent the batch did not deal it.
 */
export type InBatch = {
  now: Date; turns: TeamTurns; dealt: DealtStores; continued: ContinuedStores; arrival: Promise<ArrivalRead | undefined>;
  lastSent: () => void; assignAfterCommit: (conv: Conversation, opts: AutoAssignOptions) => void;
};

type Join = (teamId: string | null) => TeamTurn | undefined;

async function placeAndStore(tx: Tx, now: Date, msg: InboundMessage, join: Join, batch?: InBatch): Promise<InboundResult> {
  const events = new EventBatch(now);
  const arrival = batch ? await batch.arrival.then((read) => read && arrivalOf(read, tx, events, now, msg)) : await arrive(tx, events, now, msg);
  if (!arrival) throw new DomainError("not_found", `No channel for phone number id ${msg.phoneNumberId}`);
  const ctx = await readPlacementContext(arrival);
  if (ctx.duplicate) return { duplicate: true };
  if (ctx.survey) join(null); // its reads and writes need no team lock
  const survey = await receiveSurveyReply(tx, events, arrival.reply, ctx.survey);
  if (survey === "duplicate") throw new DuplicateMessage();
  if (survey) {
    await events.flush(tx);
    return { duplicate: false as const, ...survey, assigneeId: null, opened: "existing" as const };
  }
  const placement = placeMessage(arrival, ctx);
  const assign = { now, routedBy: placement.routedBy, preferAgentId: placement.preferAgentId };
  return batch ? storeInBatch(arrival, placement, join, batch, assign) : storeAlone(arrival, placement, assign);
}

/** Alone, the team lock and pick travel with the message's write, unless the team is closed now. */
async function storeAlone(a: Arrival, p: Placement, assign: AutoAssignOptions): Promise<InboundResult> {
  const { tx, events, now } = a;
  const { conv } = p;
  const stored = storeInbound(a, p);
  const early = !conv.assigneeId && !(p.team && !isTeamOpen(p.team, now));
  const picked = early ? lockTeamAndPick(tx, conv, assign) : null;
  picked?.catch(() => {}); // a duplicate rolls everything back: this answer no longer matters
  const { messageId } = await stored;
  await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, p.team);
  if (!conv.assigneeId) await autoAssign(tx, events, conv, assign, picked ?? undefined);
  await events.flush(tx);
  return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: p.opened };
}

/** Whether a team hands chats out by itself now (it has a strategy and is open), as its cached settings say. */
const handsOut = (team: Placement["team"], now: Date) => !!team && team.strategy !== "manual" && isTeamOpen(team, now);

/** A batch deals a new chat before storing it when its team hands chats out by itself now and no sticky agent comes first. */
const dealsFirst = (p: Placement, now: Date) => !!p.create && !p.preferAgentId && handsOut(p.team, now);

/**
 * In a batch, only new chats its teams deal take a team turn. Any other message is stored before the batch
 * locks its teams (it joins once its write is sent, or, on a conversation the customer has, once it is in the
 * batch's statement for those), so the locks are held for the dealt chats alone; a chat of it that needs an
 * agent (a reopen, a sticky customer, one still waiting) gets one just after the commit.
 */
async function storeInBatch(a: Arrival, p: Placement, join: Join, batch: InBatch, assign: AutoAssignOptions): Promise<InboundResult> {
  const { tx, events, now } = a;
  const { conv } = p;
  const turn = dealsFirst(p, now) ? join(conv.teamId) : undefined;
  if (turn) return storeDealt(a, p, turn, batch, assign);
  const stored = p.create ? storeInbound(a, p) : batch.continued.add(a, p);
  join(null);
  const { messageId } = await stored;
  await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, p.team);
  if (!conv.assigneeId && handsOut(p.team, now)) batch.assignAfterCommit(conv, assign);
  await events.flush(tx);
  return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: p.opened };
}

/**
 * A new chat of a batch, dealt before it is stored: the batch stores it with the other chats its teams dealt,
 * in one statement (the message, the conversation with its agent, the assignment), the last this chat sends.
 * An agent who no longer has room leaves the chat waiting, for the batch to assign after its commit. Found
 * closed or manual under its lock, or with nobody to deal it, the team leaves it in its queue (with the away
 * message when closed) and the chat stores itself.
 */
async function storeDealt(a: Arrival, p: Placement, turn: TeamTurn, batch: InBatch, assign: AutoAssignOptions): Promise<InboundResult> {
  const { tx, events, now } = a;
  const { conv } = p;
  let decided = false;
  try {
    await turn.ready;
    const [team, agent] = await Promise.all([turn.team, turn.dealt]);
    const dealt = agent && agent !== "later" ? dealtAssignment(team, agent.to, assign) : null;
    decided = true;
    if (dealt) {
      const stored = batch.dealt.add(a, p, dealt, turn.place);
      turn.done();
      batch.lastSent();
      const { messageId, assigned } = await stored;
      if (!assigned) batch.assignAfterCommit(conv, assign);
      return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: "new" };
    }
    batch.dealt.skip();
    const stored = storeInbound(a, p);
    turn.done();
    const { messageId } = await stored;
    if (agent === "later") batch.assignAfterCommit(conv, assign); // its team's pick ran out: one pick of its own
    await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, team && { ...p.team!, ...team });
    await events.flush(tx);
    return { duplicate: false, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened: "new" };
  } finally {
    if (!decided) batch.dealt.skip(); // the batch's dealt chats wait for every turn's answer
    turn.done();
  }
}
