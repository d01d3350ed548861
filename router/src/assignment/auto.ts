import type { Tx } from "../db/index.js";
import { rawSql } from "../db/raw.js";
import type { EventBatch } from "../outbox/append.js";
import { tryAssignToAgent, type AssignOptions, type AssignmentMethod, type Conversation } from "./assign.js";
import { isTeamOpen } from "./business-hours.js";
import { lockTeam, pickCandidates, type LockedTeam } from "./strategies.js";
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

async function isMember(tx: Tx, teamId: string, agentId: string): Promise<boolean> {
  const rows = await rawSql(tx)`SELECT 1 FROM team_members WHERE team_id = ${teamId} AND agent_id = ${agentId}`;
  return rows.length > 0;
}

/** Whether a team hands out chats by itself right now: it has a strategy (not manual) and is open. */
function assignsNow(team: LockedTeam | undefined, now: Date): team is LockedTeam & { strategy: "round_robin" | "least_loaded" } {
  return !!team && team.strategy !== "manual" && isTeamOpen(team, now);
}

/** How a chat given by the team's strategy is recorded (and round robin's pointer moved). */
const byStrategy = (team: LockedTeam & { strategy: "round_robin" | "least_loaded" }, opts: AutoAssignOptions): AssignOptions => ({
  method: opts.method ?? methodFor(team.strategy, opts.routedBy), strategy: team.strategy, requireOnline: true, now: opts.now,
  advanceRoundRobin: team.strategy === "round_robin" ? team.id : null,
});

type TeamPick = { team: LockedTeam | undefined; candidates: Array<{ id: string }>; sticky: string | null; stickyMember: boolean };

/**
 * Automatic assignment's first round trip: the team lock, then (run once it is granted) the candidates and the
 * sticky agent's membership. Issued on its own so a caller can send it in the same write as its own last
 * statement; null when the conversation can't be assigned automatically.
 */
export function lockTeamAndPick(tx: Tx, conv: Conversation, opts: AutoAssignOptions): Promise<TeamPick> | null {
  if (!conv.teamId || conv.status === "resolved") return null;
  const excluded = opts.excludeAgentIds ?? [];
  const sticky = opts.preferAgentId && !excluded.includes(opts.preferAgentId) ? opts.preferAgentId : null;
  return Promise.all([
    lockTeam(tx, conv.tenantId, conv.teamId),
    pickCandidates(tx, conv.teamId, excluded),
    sticky ? isMember(tx, conv.teamId, sticky) : false,
  ]).then(([team, candidates, stickyMember]) => ({ team, candidates, sticky, stickyMember }));
}

/**
 * Picks an agent for a locked, unassigned conversation by its team's strategy. Leaves it in the team queue
 * (returns null) when the team is manual, closed, or nobody online has room. Lock order, everywhere:
 * conversation → team → agent. `picked` is `lockTeamAndPick`'s answer when the caller already sent it.
 */
export async function autoAssign(
  tx: Tx, events: EventBatch, conv: Conversation, opts: AutoAssignOptions, picked = lockTeamAndPick(tx, conv, opts),
): Promise<string | null> {
  if (!picked) return null;
  const { team, candidates, sticky, stickyMember } = await picked;
  if (!assignsNow(team, opts.now)) return null;
  if (sticky && team.sticky && stickyMember) {
    const r = await tryAssignToAgent(tx, events, conv, sticky, { method: opts.method ?? "sticky", strategy: team.strategy, requireOnline: true, now: opts.now });
    if (r.ok) return sticky;
  }
  for (const { id: candidateId } of candidates) {
    const r = await tryAssignToAgent(tx, events, conv, candidateId, byStrategy(team, opts));
    if (r.ok) return candidateId;
  }
  return null;
}

/** How a team deals a batch's chats now: its strategy, or null when it hands out nothing (manual, closed, gone). */
export const dealsNow = (team: LockedTeam | undefined, now: Date) => (assignsNow(team, now) ? team.strategy : null);

/** The assignment a batch's deal gives a chat of this team, as its strategy records it; null when the team doesn't assign now. */
export function dealtAssignment(team: LockedTeam | undefined, agentId: string, opts: AutoAssignOptions): { agentId: string; options: AssignOptions } | null {
  return assignsNow(team, opts.now) ? { agentId, options: byStrategy(team, opts) } : null;
}
