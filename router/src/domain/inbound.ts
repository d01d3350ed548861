import type postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { inTransaction, type Db, type Tx } from "../db/index.js";
import { iso, rawSql } from "../db/raw.js";
import { EventBatch } from "../outbox/append.js";
import type { Clock } from "../clock.js";
import type { messageKinds } from "../events/index.js";
import { assignDealt, autoAssign, lockTeamAndPick, previousAgentOfContact, type AutoAssignOptions } from "../assignment/auto.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import { decideRoute, type RoutingDecision } from "../assignment/routing-rules.js";
import type { Conversation } from "../assignment/assign.js";
import type { Team } from "../assignment/strategies.js";
import { DomainError } from "./errors.js";
import { receiveSurveyReply } from "./automation/csat.js";
import { sendAwayMessageIfClosed } from "./automation/away.js";
import { arrivalOf, arrive, readPlacementContext, type Arrival, type ArrivalRow, type PlacementContext } from "./inbound-reads.js";
import type { RoutingConfig } from "./routing-config.js";
import type { TeamTurn, TeamTurns } from "./team-turns.js";

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
class DuplicateMessage extends Error {}

export const ctxOf = (c: Conversation, agentId?: string | null) => ({
  tenantId: c.tenantId, conversationId: c.id, channelId: c.channelId, contactId: c.contactId,
  teamId: c.teamId, agentId: agentId ?? c.assigneeId,
});

/**
 * Where a message goes, with the writes that put it there: they are not sent yet, so that they travel in
 * one round trip with the message itself.
 */
type Placement = {
  conv: Conversation; team: Team | undefined; opened: "new" | "reopened" | "existing"; preferAgentId: string | null;
  routedBy?: RoutingDecision["routedBy"];
  /** A new conversation: its INSERT and the contact's territory UPDATE. */
  create?: postgres.Fragment; territory?: postgres.Fragment;
  /** An existing one: the columns placing the message changes (`col = value,` …), beside the wait. */
  change?: postgres.Fragment;
};

/** A new conversation for this contact, routed by the rules; its row already carries the customer's wait. */
function openConversation(a: Arrival, ctx: RoutingConfig, previousAgentId: string | null): Placement {
  const { tx, events, now, channel, contact, msg } = a;
  const routing = decideRoute(ctx.rules, { text: msg.text, menuChoice: msg.menuChoice ?? null, phone: msg.from }, channel.defaultTeamId);
  const team = routing.teamId ? ctx.teams.find((t) => t.id === routing.teamId) : undefined;
  const outOfHours = team ? !isTeamOpen(team, now) : false;
  const conv: Conversation = {
    id: uuidv7(), tenantId: channel.tenantId, channelId: channel.id, contactId: contact.id, status: "open", cycle: 1, cycleStartedAt: now,
    teamId: team?.id ?? null, assigneeId: null, assignedAt: null, territory: routing.territory, outOfHours, isLead: team?.isSales ?? false, tags: [],
    waitingSince: now, lastMessageAt: now, lastInboundAt: now, resolvedAt: null, resolvedAssigneeId: null, outcome: null, dealValue: null,
    currency: null, lossReason: null, sortKey: now.getTime(), createdAt: now,
  };
  const sql = rawSql(tx);
  const at = iso(now);
  const create = sql`INSERT INTO conversations (id, tenant_id, channel_id, contact_id, status, cycle, cycle_started_at, team_id, territory,
      out_of_hours, is_lead, waiting_since, last_message_at, last_inbound_at)
    VALUES (${conv.id}, ${conv.tenantId}, ${conv.channelId}, ${conv.contactId}, 'open', 1, ${at}, ${conv.teamId}, ${conv.territory},
      ${outOfHours}, ${conv.isLead}, ${at}, ${at}, ${at})`;
  const territory = routing.territory ? sql`UPDATE contacts SET territory = ${routing.territory} WHERE id = ${contact.id}` : undefined;
  events.add("conversation.opened", ctxOf(conv), {
    cycle: 1, team_id: conv.teamId, department: team?.department ?? team?.name ?? null, territory: conv.territory,
    is_new_contact: contact.inserted, out_of_hours: outOfHours, is_lead: conv.isLead, routed_by: routing.routedBy,
  });
  return { conv, team, opened: "new", preferAgentId: previousAgentId, routedBy: routing.routedBy, create, territory };
}

/** A resolved conversation written to again within the reopen window starts its next cycle. */
function reopenByCustomer(a: Arrival, resolved: Conversation, team: Team | undefined): Placement {
  const cycle = resolved.cycle + 1;
  const at = iso(a.now);
  const conv: Conversation = { ...resolved, status: "open", cycle, cycleStartedAt: a.now, outcome: null, dealValue: null, currency: null, lossReason: null };
  a.events.add("conversation.reopened", ctxOf(resolved), {
    cycle, reopened_by: "customer", previous_resolved_at: resolved.resolvedAt!.toISOString(),
    previous_resolved_by_agent_id: resolved.resolvedAssigneeId,
  });
  const change = rawSql(a.tx)`status = 'open', cycle = ${cycle}, cycle_started_at = ${at}, outcome = NULL, deal_value = NULL,
    currency = NULL, loss_reason = NULL,`;
  return { conv, team, opened: "reopened", preferAgentId: resolved.resolvedAssigneeId, change };
}

/** A customer writing on a conversation left pending (waiting on him) puts it back to open. */
function continueConversation(a: Arrival, live: Conversation, team: Team | undefined): Placement {
  if (live.status !== "pending") return { conv: live, team, opened: "existing", preferAgentId: null };
  a.events.add("conversation.status_changed", ctxOf(live), { cycle: live.cycle, from: "pending", to: "open" });
  return { conv: { ...live, status: "open" }, team, opened: "existing", preferAgentId: null, change: rawSql(a.tx)`status = 'open',` };
}

/**
 * Finds where a message belongs: the contact's live conversation, a resolved one reopened within the
 * window, or a new one routed by the rules. A contact met just now can have neither of the first two.
 */
async function placeMessage(a: Arrival, ctx: PlacementContext): Promise<Placement> {
  const teamOf = (c: Conversation) => ctx.config.teams.find((t) => t.id === c.teamId);
  if (ctx.live) return continueConversation(a, ctx.live, teamOf(ctx.live));
  if (ctx.reopenable) return reopenByCustomer(a, ctx.reopenable, teamOf(ctx.reopenable));
  return openConversation(a, ctx.config, a.contact.inserted ? null : await previousAgentOfContact(a.tx, a.contact.id));
}

/**
 * Stores the message once per WhatsApp id in one statement with the placement's writes, the customer's wait
 * and the events so far. A duplicate rolls the whole transaction back, placement included.
 */
async function storeInbound(a: Arrival, p: Placement): Promise<string> {
  const { tx, events, now, channel, msg } = a;
  const { conv } = p;
  const messageId = uuidv7();
  const sql = rawSql(tx);
  const at = iso(now);
  events.add("message.received", ctxOf(conv), {
    cycle: conv.cycle, message_id: messageId, wa_message_id: msg.waMessageId, kind: msg.kind, length: msg.text?.length ?? 0,
  });
  const recorded = events.takeInsert(tx);
  const none = sql``;
  const inserted = await sql`WITH
    ${p.create ? sql`created AS (${p.create}),` : none}
    ${p.territory ? sql`territory AS (${p.territory}),` : none}
    ${p.create ? none : sql`waiting AS (UPDATE conversations SET ${p.change ?? none} waiting_since = coalesce(waiting_since, ${at}::timestamptz),
      last_message_at = ${at}, last_inbound_at = ${at} WHERE id = ${conv.id}),`}
    ${recorded ? sql`recorded AS (${recorded}),` : none}
    stored AS (
      INSERT INTO messages (id, tenant_id, conversation_id, channel_id, cycle, direction, sender, kind, body, wa_message_id, status, created_at)
      VALUES (${messageId}, ${channel.tenantId}, ${conv.id}, ${channel.id}, ${conv.cycle}, 'inbound', 'customer', ${msg.kind}, ${msg.text},
              ${msg.waMessageId}, 'received', ${at})
      ON CONFLICT (channel_id, wa_message_id) DO NOTHING RETURNING id)
    SELECT id FROM stored`;
  if (inserted.length === 0) throw new DuplicateMessage();
  events.stored();
  return messageId;
}

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
    joined = true;
    return batch?.turns.join(teamId, dealable);
  };
  try {
    return await placeAndStore(tx, clock.now(), msg, join, batch?.arrival);
  } finally {
    if (!joined) join(null); // the batch's team locks wait for every message
  }
}

/** A message's share of its batch: the team turns and its row of the batch's contact upsert. */
export type InBatch = { turns: TeamTurns; arrival: Promise<ArrivalRow | undefined> };

async function placeAndStore(
  tx: Tx, now: Date, msg: InboundMessage, join: (teamId: string | null, dealable?: boolean) => TeamTurn | undefined, arrived?: Promise<ArrivalRow | undefined>,
): Promise<InboundResult> {
  const events = new EventBatch(now);
  const arrival = arrived ? await arrived.then((row) => row && arrivalOf(row, tx, events, now, msg)) : await arrive(tx, events, now, msg);
  if (!arrival) throw new DomainError("not_found", `No channel for phone number id ${msg.phoneNumberId}`);
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
  const stored = storeInbound(arrival, placement);
  const assign = { now, routedBy, preferAgentId };
  const turn = join(!conv.assigneeId && conv.teamId ? conv.teamId : null, !preferAgentId);
  // Alone, the team lock and pick travel with the message's write, unless the team is closed now.
  const early = !turn && !conv.assigneeId && !(placement.team && !isTeamOpen(placement.team, now));
  const picked = early ? lockTeamAndPick(tx, conv, assign) : null;
  picked?.catch(() => {}); // a duplicate rolls everything back: this answer no longer matters
  try {
    const messageId = await stored;
    await sendAwayMessageIfClosed(tx, events, { ...conv, lastInboundAt: now }, now, placement.team);
    if (!conv.assigneeId) await assignChat(tx, events, conv, assign, turn, picked);
    await events.flush(tx);
    return { duplicate: false as const, conversationId: conv.id, messageId, assigneeId: conv.assigneeId, opened };
  } finally {
    turn?.done();
  }
}

/** An unassigned chat gets its agent: the one its batch dealt it, or the pick of its own team lock. */
async function assignChat(
  tx: Tx, events: EventBatch, conv: Conversation, assign: AutoAssignOptions, turn: TeamTurn | undefined, picked: ReturnType<typeof lockTeamAndPick>,
): Promise<void> {
  await turn?.ready;
  const deal = await turn?.deal;
  if (turn && deal) await assignDealt(tx, events, conv, { ...assign, onSent: turn.done }, await turn.team, deal);
  else await autoAssign(tx, events, conv, { ...assign, onSent: turn?.done, lockedTeam: turn?.team }, picked ?? undefined);
}
