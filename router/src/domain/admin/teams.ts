import { asc, eq, inArray } from "drizzle-orm";
import { teamMembers, teams } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { runCommand, type Deps, type FollowUp } from "../commands/run.js";
import { createTeam, type Membership, type NewTeam } from "./workspace.js";
import { requireFreeTeamName, requireTeam } from "./lookup.js";
import { replaceMembers } from "./memberships.js";

type DbOrTx = Db | Tx;
type TeamRow = typeof teams.$inferSelect;
export type TeamMember = { agentId: string; position: number; autoAssign: boolean };
/** A team as the API shows it: its settings and its members in rotation order (not the internal pointer). */
export type TeamView = Omit<TeamRow, "rrLastAgentId"> & { members: TeamMember[] };
export type TeamPatch = Partial<NewTeam>;
type Result = Promise<{ result: TeamView; followUps: FollowUp[] }>;

async function withMembers(db: DbOrTx, rows: TeamRow[]): Promise<TeamView[]> {
  const ids = rows.map((t) => t.id);
  const members = ids.length === 0 ? [] : await db.select().from(teamMembers)
    .where(inArray(teamMembers.teamId, ids)).orderBy(asc(teamMembers.position), asc(teamMembers.agentId));
  return rows.map(({ rrLastAgentId: _pointer, ...team }) => ({
    ...team,
    members: members.filter((m) => m.teamId === team.id).map(({ agentId, position, autoAssign }) => ({ agentId, position, autoAssign })),
  }));
}

/** Every team of the workspace, by name: agents need them to transfer, admins to configure. */
export async function listTeams(db: Db, actor: Actor): Promise<TeamView[]> {
  const rows = await db.select().from(teams).where(eq(teams.tenantId, actor.tenantId)).orderBy(asc(teams.name), asc(teams.id));
  return withMembers(db, rows);
}

export async function loadTeam(db: DbOrTx, tenantId: string, teamId: string): Promise<TeamView> {
  return (await withMembers(db, [await requireTeam(db, tenantId, teamId)]))[0]!;
}

export async function addTeam(deps: Deps, actor: Actor, input: NewTeam): Result {
  requireRole(actor, "admin");
  return runCommand(deps, async ({ tx }) => {
    await requireFreeTeamName(tx, actor.tenantId, input.name);
    const team = await createTeam(tx, actor.tenantId, input);
    return loadTeam(tx, actor.tenantId, team.id);
  });
}

/** Changing how a team assigns (say from manual to round robin) offers its waiting chats again. */
export async function updateTeam(deps: Deps, actor: Actor, teamId: string, patch: TeamPatch): Result {
  requireRole(actor, "admin");
  return runCommand(deps, async ({ tx, followUps }) => {
    const team = await requireTeam(tx, actor.tenantId, teamId, { lock: true });
    if (patch.name !== undefined) await requireFreeTeamName(tx, actor.tenantId, patch.name, teamId);
    if (Object.keys(patch).length) await tx.update(teams).set(patch).where(eq(teams.id, teamId));
    if (patch.strategy && patch.strategy !== team.strategy) followUps.push({ kind: "drain", tenantId: actor.tenantId, teamIds: [teamId] });
    return loadTeam(tx, actor.tenantId, teamId);
  });
}

/** Replaces the members; the list order is the round-robin order. New members may take waiting chats. */
export async function setMembers(deps: Deps, actor: Actor, teamId: string, members: Membership[]): Result {
  requireRole(actor, "admin");
  return runCommand(deps, async ({ tx, followUps }) => {
    await requireTeam(tx, actor.tenantId, teamId, { lock: true });
    await replaceMembers(tx, actor.tenantId, teamId, members);
    followUps.push({ kind: "drain", tenantId: actor.tenantId, teamIds: [teamId] });
    return loadTeam(tx, actor.tenantId, teamId);
  });
}
