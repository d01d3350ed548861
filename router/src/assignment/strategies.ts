import type { teams } from "../db/schema/index.js";
import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";

export type Team = typeof teams.$inferSelect;

const CANDIDATES = 5;

/** A candidate as picked, with what dealing several chats in turn needs (`deal.ts`). */
export type Seat = { id: string; active_chats: number; capacity: number; position: number; last_us: string | null };

/**
 * Who should get the team's next chat, best first: members online with a free seat, ordered by the team's
 * strategy. Round robin: the rotation (position order) starting after the last agent served, so absent or
 * full members are skipped and the pointer survives restarts. Least loaded: fewest active chats, ties to the
 * agent idle longest. Postgres picks from the members so a 1,000-agent team costs one indexed query; the
 * few returned are re-checked under each agent's lock, because loads move between this read and that lock.
 * The strategy and the pointer are read from the team row by the statement itself, so it can be pipelined
 * right behind `lockTeam`: it then runs once that lock is granted, and sees the pointer as the lock left it.
 */
export function pickCandidates(tx: Tx, teamId: string, excludeAgentIds: string[], limit = CANDIDATES) {
  const sql = rawSql(tx);
  return sql<Seat[]>`
    WITH t AS (SELECT id, strategy = 'round_robin' AS rr, rr_last_agent_id FROM teams WHERE id = ${teamId}),
    last AS (SELECT m.position, a.created_at, a.id FROM t JOIN team_members m ON m.team_id = t.id AND m.agent_id = t.rr_last_agent_id
             JOIN agents a ON a.id = m.agent_id)
    SELECT a.id, a.active_chats, a.capacity, m.position, (extract(epoch FROM a.last_assigned_at) * 1000000)::bigint::text AS last_us
    FROM t JOIN team_members m ON m.team_id = t.id JOIN agents a ON a.id = m.agent_id LEFT JOIN last ON true
    WHERE m.auto_assign AND a.active AND a.presence = 'online' AND a.active_chats < a.capacity
      AND NOT (a.id = ANY(${excludeAgentIds}::uuid[]))
    ORDER BY CASE WHEN NOT t.rr THEN a.active_chats
                  WHEN last.id IS NULL OR (m.position, a.created_at, a.id) > (last.position, last.created_at, last.id) THEN 0 ELSE 1 END,
             CASE WHEN NOT t.rr THEN a.last_assigned_at END NULLS FIRST,
             m.position, CASE WHEN t.rr THEN a.created_at END, a.id
    LIMIT ${limit}`;
}

/** What automatic assignment needs of a team, read under its row lock (the round-robin pointer moves). */
export type LockedTeam = Pick<Team, "id" | "strategy" | "sticky" | "rrLastAgentId" | "timeZone" | "businessHours" | "holidays">;

type TeamRow = { id: string; strategy: Team["strategy"]; sticky: boolean; rr_last_agent_id: string | null; time_zone: string; business_hours: Team["businessHours"]; holidays: string[] };
const asLockedTeam = (row: TeamRow): LockedTeam => ({
  id: row.id, strategy: row.strategy, sticky: row.sticky, rrLastAgentId: row.rr_last_agent_id,
  timeZone: row.time_zone, businessHours: row.business_hours, holidays: row.holidays,
});

export async function lockTeam(tx: Tx, tenantId: string, teamId: string): Promise<LockedTeam | undefined> {
  const [row] = await rawSql(tx)<TeamRow[]>`
    SELECT id, strategy, sticky, rr_last_agent_id, time_zone, business_hours, holidays FROM teams
    WHERE tenant_id = ${tenantId} AND id = ${teamId} FOR NO KEY UPDATE`;
  return row && asLockedTeam(row);
}

/** Several teams locked in one statement, in id order (the order every batch uses, so batches never deadlock). */
export async function lockTeams(tx: Tx, teamIds: string[]): Promise<Map<string, LockedTeam>> {
  const rows = await rawSql(tx)<TeamRow[]>`
    SELECT id, strategy, sticky, rr_last_agent_id, time_zone, business_hours, holidays FROM teams
    WHERE id = ANY(${teamIds}::uuid[]) ORDER BY id FOR NO KEY UPDATE`;
  return new Map(rows.map((row) => [row.id, asLockedTeam(row)]));
}
