import { and, eq, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { conversations } from "../db/schema/index.js";
import { DomainError } from "./errors.js";

export type Role = "admin" | "supervisor" | "agent";

/** Who is acting: resolved once per request from the session or API token. */
export type Actor = {
  tenantId: string;
  agentId: string;
  name: string;
  role: Role;
  teamIds: string[];
  /** The actor's teams whose setting "agents see all conversations" is on. */
  seeAllTeamIds: string[];
};

export const isSupervisor = (a: Actor) => a.role === "supervisor" || a.role === "admin";

export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.includes(actor.role)) {
    throw new DomainError("forbidden", `This action needs the role ${roles.join(" or ")}`);
  }
}

type ConversationScope = { teamId: string | null; assigneeId: string | null; status: string; resolvedAssigneeId: string | null };

const isMine = (actor: Actor, c: ConversationScope) =>
  c.assigneeId === actor.agentId || (c.status === "resolved" && c.resolvedAssigneeId === actor.agentId);

/** Scenario 14: agents see their own chats, their teams' queue, and all of a team only when it says so. */
export function canView(actor: Actor, c: ConversationScope): boolean {
  if (actor.role === "admin" || isMine(actor, c)) return true;
  const inMyTeam = c.teamId === null || actor.teamIds.includes(c.teamId);
  if (actor.role === "supervisor") return inMyTeam;
  if (c.assigneeId === null && c.status !== "resolved" && inMyTeam) return true;
  return c.teamId !== null && actor.seeAllTeamIds.includes(c.teamId);
}

/**
 * Whether the actor may learn who holds a conversation: anything in his teams (or teamless), or his own.
 * A teammate's chat is "taken by Ana" (409), not "not found" (404), even when he may not read it.
 */
export function inTeamScope(actor: Actor, c: ConversationScope): boolean {
  if (canView(actor, c)) return true;
  return c.teamId === null || actor.teamIds.includes(c.teamId);
}

/** Supervisors act on conversations of their teams; admins on all. */
export function canSupervise(actor: Actor, c: ConversationScope): boolean {
  if (actor.role === "admin") return true;
  if (actor.role !== "supervisor") return false;
  return c.teamId === null || actor.teamIds.includes(c.teamId) || c.assigneeId === actor.agentId;
}

/** The same rule as canView, as a SQL predicate for inbox listings. */
export function visibleConversations(actor: Actor): SQL {
  const tenant = eq(conversations.tenantId, actor.tenantId);
  if (actor.role === "admin") return tenant;
  const mine = or(
    eq(conversations.assigneeId, actor.agentId),
    and(eq(conversations.status, "resolved"), eq(conversations.resolvedAssigneeId, actor.agentId)),
  )!;
  const myTeams = actor.teamIds.length
    ? or(isNull(conversations.teamId), inArray(conversations.teamId, actor.teamIds))!
    : isNull(conversations.teamId);
  if (actor.role === "supervisor") return and(tenant, or(mine, myTeams))!;
  const queue = and(isNull(conversations.assigneeId), ne(conversations.status, "resolved"), myTeams)!;
  const seeAll = actor.seeAllTeamIds.length ? inArray(conversations.teamId, actor.seeAllTeamIds) : sql`false`;
  return and(tenant, or(mine, queue, seeAll))!;
}
