import { and, eq, inArray, sql } from "drizzle-orm";
import { teamMembers, teams } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import { requireAgents, requireTeams } from "./lookup.js";
import { setTeamMembers, type Membership } from "./workspace.js";

/**
 * Puts an agent in exactly these teams. Teams he stays in keep his place in their rotation; teams he joins
 * put him last. Returns the teams he joined.
 */
export async function setAgentTeams(tx: Tx, tenantId: string, agentId: string, teamIds: string[], autoAssign: boolean): Promise<string[]> {
  await requireTeams(tx, tenantId, teamIds);
  const current = (await tx.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.agentId, agentId))).map((r) => r.teamId);
  const left = current.filter((t) => !teamIds.includes(t));
  const joined = teamIds.filter((t) => !current.includes(t));
  if (left.length) await tx.delete(teamMembers).where(and(eq(teamMembers.agentId, agentId), inArray(teamMembers.teamId, left)));
  if (joined.length === 0) return joined;
  // Team rows are locked so two concurrent joins cannot take the same position.
  await tx.select({ id: teams.id }).from(teams).where(inArray(teams.id, joined)).orderBy(teams.id).for("no key update");
  for (const teamId of joined) {
    const [last] = await tx.select({ max: sql<number | null>`max(${teamMembers.position})` }).from(teamMembers).where(eq(teamMembers.teamId, teamId));
    await tx.insert(teamMembers).values({ tenantId, teamId, agentId, position: (last?.max ?? -1) + 1, autoAssign });
  }
  return joined;
}

/** Replaces a team's members, in rotation order; every agent must belong to the tenant. */
export async function replaceMembers(tx: Tx, tenantId: string, teamId: string, members: Membership[]): Promise<void> {
  await requireAgents(tx, tenantId, members.map((m) => m.agentId));
  await setTeamMembers(tx, tenantId, teamId, members);
}
