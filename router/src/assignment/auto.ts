import type { Tx } from "../db/index.js";
import { rawSql } from "../db/raw.js";
import type { EventBatch } from "../outbox/append.js";
import { tryAssignToAgent, type AssignmentMethod, type Conversation } from "./assign.js";
import { isTeamOpen } from "./business-hours.js";
import { lockTeam, pickCandidates } from "./strategies.js";
import type { RoutingDecision } from "./routing-rules.js";

export type AutoAssignOptions = {
  now: Date;
  routedBy?: RoutingDecision["routedBy"];
  /** Sticky routing: the agent this contact talked to last. */
  preferAgentId?: string | null;
  /** Overrides the method recorded (escalation, reassign_timeout, …). */
  method?: AssignmentMethod;
  excludeAgentIds?: string[];
};

function methodFor(strategy: "round_robin" | "least_loaded", routedBy?: RoutingDecision["routedBy"]): AssignmentMethod {
  if (routedBy === "keyword" || routedBy === "menu") return "skill";
  if (routedBy === "territory") return "territory";
  return strategy;
}

/** The agent who last held any conversation of this contact: the sticky candidate. */
export async function previousAgentOfContact(tx: Tx, contactId: string): Promise<string | null> {
  const [row] = await rawSql(tx)<Array<{ agent_id: string }>>`
    SELECT s.agent_id FROM assignments s JOIN conversations c ON c.id = s.conversation_id
    WHERE c.contact_id = ${contactId} AND s.agent_id IS NOT NULL ORDER BY s.started_at DESC LIMIT 1`;
  return row?.agent_id ?? null;
}

async function isMember(tx: Tx, teamId: string, agentId: string): Promise<boolean> {
  const rows = await rawSql(tx)`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND agent_id = ${agentId}`;
  return rows.length > 0;
}

/**
 * Picks an agent for a locked, unassigned conversation by its team's strategy. Leaves it in the team queue
 * (returns null) when the team is manual, closed, or nobody online has room. Lock order, everywhere:
 * conversation → team → agent.
 */
export async function autoAssign(tx: Tx, events: EventBatch, conv: Conversation, opts: AutoAssignOptions): Promise<string | null> {
  if (!conv.teamId || conv.status === "resolved") return null;
  const excluded = new Set(opts.excludeAgentIds ?? []);
  const sticky = opts.preferAgentId && !excluded.has(opts.preferAgentId) ? opts.preferAgentId : null;
  // One round trip: the team lock, then (run once it is granted) the candidates and the sticky membership.
  const [team, candidates, stickyMember] = await Promise.all([
    lockTeam(tx, conv.tenantId, conv.teamId),
    pickCandidates(tx, conv.teamId, [...excluded]),
    sticky ? isMember(tx, conv.teamId, sticky) : false,
  ]);
  if (!team || team.strategy === "manual" || !isTeamOpen(team, opts.now)) return null;
  if (sticky && team.sticky && stickyMember) {
    const r = await tryAssignToAgent(tx, events, conv, sticky, {
      method: opts.method ?? "sticky", strategy: team.strategy, requireOnline: true, now: opts.now,
    });
    if (r.ok) return sticky;
  }
  const method = opts.method ?? methodFor(team.strategy, opts.routedBy);
  const advanceRoundRobin = team.strategy === "round_robin" ? team.id : null;
  for (const { id: candidateId } of candidates) {
    const r = await tryAssignToAgent(tx, events, conv, candidateId, { method, strategy: team.strategy, requireOnline: true, now: opts.now, advanceRoundRobin });
    if (r.ok) return candidateId;
  }
  return null;
}
