import { and, eq } from "drizzle-orm";
import { agents, teamMembers, teams } from "../db/schema/index.js";
import type { Tx } from "../db/index.js";

export type Team = typeof teams.$inferSelect;
export type Candidate = { id: string; position: number; presence: string; active: boolean; capacity: number; load: number; lastAssignedAt: Date | null };

/**
 * The members who take the team's chats automatically, with their load (open and pending chats). Offline
 * ones stay in the list: round robin needs the whole rotation to find who comes after the last one served.
 */
export async function teamCandidates(tx: Tx, teamId: string): Promise<Candidate[]> {
  return tx
    .select({
      id: agents.id,
      position: teamMembers.position,
      presence: agents.presence,
      active: agents.active,
      capacity: agents.capacity,
      lastAssignedAt: agents.lastAssignedAt,
      load: agents.activeChats,
    })
    .from(teamMembers)
    .innerJoin(agents, eq(agents.id, teamMembers.agentId))
    .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.autoAssign, true)))
    .orderBy(teamMembers.position, agents.createdAt, agents.id);
}

const hasRoom = (c: Candidate) => c.active && c.presence === "online" && c.load < c.capacity;

/** Round robin: the members in rotation order, starting after the last one served; full or absent ones skipped. */
export function roundRobinOrder(members: Candidate[], lastAgentId: string | null): Candidate[] {
  const start = lastAgentId ? members.findIndex((m) => m.id === lastAgentId) + 1 : 0;
  const rotated = [...members.slice(start), ...members.slice(0, start)];
  return rotated.filter(hasRoom);
}

/** Least loaded: fewest active chats now; ties go to the agent idle longest (oldest last assignment). */
export function leastLoadedOrder(members: Candidate[]): Candidate[] {
  const idle = (c: Candidate) => c.lastAssignedAt?.getTime() ?? -Infinity;
  return members.filter(hasRoom).sort((a, b) => a.load - b.load || idle(a) - idle(b) || a.position - b.position);
}

export async function lockTeam(tx: Tx, tenantId: string, teamId: string): Promise<Team | undefined> {
  const [team] = await tx.select().from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, teamId))).for("no key update");
  return team;
}
