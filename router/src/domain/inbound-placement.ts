import type postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { iso, rawSql } from "../db/raw.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import { decideRoute, type RoutingDecision } from "../assignment/routing-rules.js";
import type { Conversation } from "../assignment/assign.js";
import type { Team } from "../assignment/strategies.js";
import type { Arrival, PlacementContext } from "./inbound-reads.js";
import type { RoutingConfig } from "./routing-config.js";

export const ctxOf = (c: Conversation, agentId?: string | null) => ({
  tenantId: c.tenantId, conversationId: c.id, channelId: c.channelId, contactId: c.contactId,
  teamId: c.teamId, agentId: agentId ?? c.assigneeId,
});

/**
 * Where a message goes, with the writes that put it there: they are not sent yet, so that they travel in
 * one round trip with the message itself.
 */
export type Placement = {
  conv: Conversation; team: Team | undefined; opened: "new" | "reopened" | "existing"; preferAgentId: string | null;
  routedBy?: RoutingDecision["routedBy"];
  /** A new conversation: its INSERT, still waiting for an agent, and the contact's territory UPDATE. */
  create?: () => postgres.Fragment; territory?: postgres.Fragment;
  /** An existing one placing the message changes, beside the wait: reopened (its next cycle), or back to open from pending. */
  change?: "reopen" | "open";
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
  const create = () => sql`INSERT INTO conversations (id, tenant_id, channel_id, contact_id, status, cycle, cycle_started_at, team_id, territory,
      out_of_hours, is_lead, waiting_since, last_message_at, last_inbound_at, assignee_id, assigned_at)
    VALUES (${conv.id}, ${conv.tenantId}, ${conv.channelId}, ${conv.contactId}, 'open', 1, ${at}, ${conv.teamId}, ${conv.territory},
      ${outOfHours}, ${conv.isLead}, ${at}, ${at}, ${at}, NULL, NULL)`;
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
  const conv: Conversation = { ...resolved, status: "open", cycle, cycleStartedAt: a.now, outcome: null, dealValue: null, currency: null, lossReason: null };
  a.events.add("conversation.reopened", ctxOf(resolved), {
    cycle, reopened_by: "customer", previous_resolved_at: resolved.resolvedAt!.toISOString(),
    previous_resolved_by_agent_id: resolved.resolvedAssigneeId,
  });
  return { conv, team, opened: "reopened", preferAgentId: resolved.resolvedAssigneeId, change: "reopen" };
}

/** A customer writing on a conversation left pending (waiting on him) puts it back to open. */
function continueConversation(a: Arrival, live: Conversation, team: Team | undefined): Placement {
  if (live.status !== "pending") return { conv: live, team, opened: "existing", preferAgentId: null };
  a.events.add("conversation.status_changed", ctxOf(live), { cycle: live.cycle, from: "pending", to: "open" });
  return { conv: { ...live, status: "open" }, team, opened: "existing", preferAgentId: null, change: "open" };
}

/**
 * Finds where a message belongs: the contact's live conversation, a resolved one reopened within the
 * window, or a new one routed by the rules. A contact met just now can have neither of the first two.
 */
export function placeMessage(a: Arrival, ctx: PlacementContext): Placement {
  const teamOf = (c: Conversation) => ctx.config.teams.find((t) => t.id === c.teamId);
  if (ctx.live) return continueConversation(a, ctx.live, teamOf(ctx.live));
  if (ctx.reopenable) return reopenByCustomer(a, ctx.reopenable, teamOf(ctx.reopenable));
  return openConversation(a, ctx.config, a.contact.inserted ? null : ctx.previousAgentId);
}

