import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { agents, teamMembers } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import type { Actor } from "../actor.js";
import { DomainError } from "../errors.js";

type DbOrTx = Db | Tx;

/** Every column but the password hash, which never leaves the domain. */
const agentColumns = {
  id: agents.id, tenantId: agents.tenantId, email: agents.email, name: agents.name, role: agents.role,
  capacity: agents.capacity, presence: agents.presence, presenceChangedAt: agents.presenceChangedAt,
  timeZone: agents.timeZone, skills: agents.skills, locale: agents.locale, active: agents.active, createdAt: agents.createdAt,
};

type AgentRow = { [K in keyof typeof agentColumns]: (typeof agents.$inferSelect)[K] };
export type AgentView = AgentRow & { teamIds: string[] };
/** What agents see of their colleagues: enough to pick someone to transfer to. */
export type AgentDirectoryEntry = Pick<AgentView, "id" | "name" | "role" | "presence" | "active" | "teamIds">;

export type AgentListParams = { active?: boolean; teamId?: string };

async function teamIdsByAgent(db: DbOrTx, agentIds: string[]): Promise<Map<string, string[]>> {
  const byAgent = new Map<string, string[]>(agentIds.map((id) => [id, []]));
  if (agentIds.length === 0) return byAgent;
  const rows = await db.select({ agentId: teamMembers.agentId, teamId: teamMembers.teamId }).from(teamMembers)
    .where(inArray(teamMembers.agentId, agentIds)).orderBy(asc(teamMembers.teamId));
  for (const r of rows) byAgent.get(r.agentId)?.push(r.teamId);
  return byAgent;
}

function forActor(actor: Actor, agent: AgentView): AgentView | AgentDirectoryEntry {
  if (actor.role !== "agent") return agent;
  const { id, name, role, presence, active, teamIds } = agent;
  return { id, name, role, presence, active, teamIds };
}

async function selectAgents(db: DbOrTx, tenantId: string, filter?: SQL): Promise<AgentView[]> {
  const rows = await db.select(agentColumns).from(agents)
    .where(filter ? and(eq(agents.tenantId, tenantId), filter) : eq(agents.tenantId, tenantId))
    .orderBy(asc(agents.name), asc(agents.id));
  const teamIds = await teamIdsByAgent(db, rows.map((r) => r.id));
  return rows.map((r) => ({ ...r, teamIds: teamIds.get(r.id) ?? [] }));
}

/** The workspace's people, by name; admins and supervisors get the full record, agents the directory. */
export async function listAgents(db: Db, actor: Actor, params: AgentListParams = {}) {
  const filters: SQL[] = [];
  if (params.active !== undefined) filters.push(eq(agents.active, params.active));
  if (params.teamId) {
    const members = db.select({ id: teamMembers.agentId }).from(teamMembers)
      .where(and(eq(teamMembers.tenantId, actor.tenantId), eq(teamMembers.teamId, params.teamId)));
    filters.push(inArray(agents.id, members));
  }
  const rows = await selectAgents(db, actor.tenantId, filters.length ? and(...filters) : undefined);
  return rows.map((a) => forActor(actor, a));
}

/** One agent of the tenant, in the full admin view (used after writes). */
export async function loadAgent(db: DbOrTx, tenantId: string, agentId: string): Promise<AgentView> {
  const [agent] = await selectAgents(db, tenantId, eq(agents.id, agentId));
  if (!agent) throw new DomainError("not_found", "Agent not found", { agentId });
  return agent;
}

export async function getAgent(db: Db, actor: Actor, agentId: string) {
  return forActor(actor, await loadAgent(db, actor.tenantId, agentId));
}
