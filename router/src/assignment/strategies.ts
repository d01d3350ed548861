import type { teams } from "../db/schema/index.js";
import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";

export type Team = typeof teams.$inferSelect;
export type Candidate = { id: string; position: number; presence: string; active: boolean; capacity: number; load: number; lastAssignedAt: Date | null };

/**
 * The members who take the team's chats automatically, with their load (open and pending chats). Offline
 * ones stay in the list: round robin needs the whole rotation to find who comes after the last one served.
 */
export async function teamCandidates(tx: Tx, teamId: string): Promise<Candidate[]> {
  const sql = rawSql(tx);
  const rows = await sql<Array<Omit<Candidate, "lastAssignedAt"> & { last_assigned_at: string | null }>>`
    SELECT a.id, m.position, a.presence, a.active, a.capacity, a.active_chats AS load, a.last_assigned_at
    FROM team_members m JOIN agents a ON a.id = m.agent_id
    WHERE m.team_id = ${teamId} AND m.auto_assign
    ORDER BY m.position, a.created_at, a.id`;
  return rows.map(({ last_assigned_at, ...c }) => ({ ...c, lastAssignedAt: last_assigned_at ? new Date(last_assigned_at) : null }));
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

/** What automatic assignment needs of a team, read under its row lock (the round-robin pointer moves). */
export type LockedTeam = Pick<Team, "id" | "strategy" | "sticky" | "rrLastAgentId" | "timeZone" | "businessHours" | "holidays">;

export async function lockTeam(tx: Tx, tenantId: string, teamId: string): Promise<LockedTeam | undefined> {
  const sql = rawSql(tx);
  const [row] = await sql<Array<{ id: string; strategy: Team["strategy"]; sticky: boolean; rr_last_agent_id: string | null; time_zone: string; business_hours: Team["businessHours"]; holidays: string[] }>>`
    SELECT id, strategy, sticky, rr_last_agent_id, time_zone, business_hours, holidays FROM teams
    WHERE tenant_id = ${tenantId} AND id = ${teamId} FOR NO KEY UPDATE`;
  return row && {
    id: row.id, strategy: row.strategy, sticky: row.sticky, rrLastAgentId: row.rr_last_agent_id,
    timeZone: row.time_zone, businessHours: row.business_hours, holidays: row.holidays,
  };
}
