import { and, arrayContains, asc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import { agents, contacts, conversations, teams } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import { visibleConversations, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";

export type InboxView = "unassigned" | "mine" | "team" | "all";
export type InboxQuery = {
  view: InboxView; status?: "open" | "pending" | "resolved"; teamId?: string; tag?: string; channelId?: string;
  q?: string; cursor?: string; limit: number;
};

function viewFilter(actor: Actor, view: InboxView): SQL | undefined {
  switch (view) {
    case "unassigned": return isNull(conversations.assigneeId);
    case "mine": return or(eq(conversations.assigneeId, actor.agentId), and(eq(conversations.status, "resolved"), eq(conversations.resolvedAssigneeId, actor.agentId)));
    case "team": return actor.teamIds.length ? inArray(conversations.teamId, actor.teamIds) : sql`false`;
    case "all": return undefined;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchFilter(q: string): SQL {
  const pattern = `%${escapeLike(q)}%`;
  return or(
    ilike(contacts.name, pattern),
    ilike(contacts.phone, pattern),
    sql`EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = ${conversations.id} AND m.body ILIKE ${pattern})`,
  )!;
}

export function encodeCursor(sortKey: number, id: string): string {
  return Buffer.from(`${sortKey}:${id}`).toString("base64url");
}

function decodeCursor(cursor: string): { sortKey: number; id: string } {
  const [key, id] = Buffer.from(cursor, "base64url").toString().split(":");
  if (!key || !id || !/^-?\d+$/.test(key) || !/^[0-9a-f-]{36}$/i.test(id)) throw new DomainError("invalid_input", "The cursor is not valid");
  return { sortKey: Number(key), id };
}

/** Inbox listing: waiting customers first (longest wait on top), keyset-paginated on (sort_key, id). */
export async function listInbox(db: Db, actor: Actor, query: InboxQuery) {
  const filters: (SQL | undefined)[] = [visibleConversations(actor), viewFilter(actor, query.view)];
  filters.push(query.status ? eq(conversations.status, query.status) : ne(conversations.status, "resolved"));
  if (query.teamId) filters.push(eq(conversations.teamId, query.teamId));
  if (query.channelId) filters.push(eq(conversations.channelId, query.channelId));
  if (query.tag) filters.push(arrayContains(conversations.tags, [query.tag]));
  if (query.q) filters.push(searchFilter(query.q));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    filters.push(sql`(${conversations.sortKey}, ${conversations.id}) > (${c.sortKey}, ${c.id}::uuid)`);
  }
  const rows = await db
    .select({
      id: conversations.id, status: conversations.status, cycle: conversations.cycle, channelId: conversations.channelId,
      tags: conversations.tags, waitingSince: conversations.waitingSince, lastMessageAt: conversations.lastMessageAt,
      lastInboundAt: conversations.lastInboundAt, sortKey: conversations.sortKey, territory: conversations.territory,
      contact: { id: contacts.id, name: contacts.name, phone: contacts.phone },
      team: { id: conversations.teamId, name: teams.name },
      assignee: { id: conversations.assigneeId, name: agents.name },
      lastMessage: sql<string | null>`(SELECT left(m.body, 140) FROM messages m WHERE m.conversation_id = ${conversations.id} ORDER BY m.created_at DESC LIMIT 1)`,
    })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .leftJoin(teams, eq(teams.id, conversations.teamId))
    .leftJoin(agents, eq(agents.id, conversations.assigneeId))
    .where(and(...filters))
    .orderBy(asc(conversations.sortKey), asc(conversations.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > query.limit && last ? encodeCursor(last.sortKey!, last.id) : null;
  return {
    items: page.map(({ sortKey: _sortKey, team, assignee, ...r }) => ({ ...r, team: team.id ? team : null, assignee: assignee.id ? assignee : null })),
    nextCursor,
  };
}

/** The badge counts of the inbox views, for what the actor can see. */
export async function inboxCounts(db: Db, actor: Actor) {
  const mine = eq(conversations.assigneeId, actor.agentId);
  const team = actor.teamIds.length ? inArray(conversations.teamId, actor.teamIds) : sql`false`;
  const [row] = await db
    .select({
      unassigned: sql<number>`count(*) FILTER (WHERE ${conversations.assigneeId} IS NULL)::int`,
      mine: sql<number>`count(*) FILTER (WHERE ${mine})::int`,
      team: sql<number>`count(*) FILTER (WHERE ${team})::int`,
      all: sql<number>`count(*)::int`,
    })
    .from(conversations)
    .where(and(visibleConversations(actor), ne(conversations.status, "resolved")));
  return row!;
}

