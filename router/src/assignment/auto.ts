import { and, desc, eq, isNotNull } from "drizzle-orm";
import { assignments, conversations, teamMembers } from "../db/schema/index.js";
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
  const [row] = await tx
    .select({ agentId: assignments.agentId })
    .from(assignments)
    .innerJoin(conversations, eq(conversations.id, assignments.conversationId))
    .where(and(eq(conversations.contactId, contactId), isNotNull(assignments.agentId)))
    .orderBy(desc(assignments.startedAt))
    .limit(1);
  return row?.agentId ?? null;
}

async function isMember(tx: Tx, teamId: string, agentId: string): Promise<boolean> {
  const rows = await tx.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.agentId, agentId)));
  return rows.length > 0;
}

/**
 * Picks an agent for a locked, unassigned conversation by its team's strategy. Leaves it in the team queue
 * (returns null) when the team is manual, closed, or nobody online has room. Lock order, everywhere:
 * conversation → team → agent.
 */
export async function autoAssign(tx: Tx, events: EventBatch, conv: Conversation, opts: AutoAssignOptions): Promise<string | null> {
  if (!conv.teamId || conv.status === "resolved") return null;
  const team = await lockTeam(tx, conv.tenantId, conv.teamId);
  if (!team || team.strategy === "manual" || !isTeamOpen(team, opts.now)) return null;
  const excluded = new Set(opts.excludeAgentIds ?? []);
  const sticky = opts.preferAgentId;
  if (sticky && team.sticky && !excluded.has(sticky) && (await isMember(tx, team.id, sticky))) {
    const r = await tryAssignToAgent(tx, events, conv, sticky, {
      method: opts.method ?? "sticky", strategy: team.strategy, requireOnline: true, now: opts.now,
    });
    if (r.ok) return sticky;
  }
  const method = opts.method ?? methodFor(team.strategy, opts.routedBy);
  for (const candidateId of await pickCandidates(tx, team, [...excluded])) {
    const r = await tryAssignToAgent(tx, events, conv, candidateId, { method, strategy: team.strategy, requireOnline: true, now: opts.now });
    if (!r.ok) continue;
    if (team.strategy === "round_robin") {
      await rawSql(tx)`UPDATE teams SET rr_last_agent_id = ${candidateId} WHERE id = ${team.id}`;
    }
    return candidateId;
  }
  return null;
}
