import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import { agents, assignments, contacts, conversations, messages, notes, teams, transfers } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import { canView, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { windowClosesAt } from "../../channels/whatsapp/window.js";

/** One conversation with its whole history across cycles: messages, notes, assignments and transfers. */
export async function getConversation(db: Db, actor: Actor, conversationId: string) {
  const [conv] = await db.select().from(conversations)
    .where(and(eq(conversations.tenantId, actor.tenantId), eq(conversations.id, conversationId)));
  if (!conv || !canView(actor, conv)) throw new DomainError("not_found", "Conversation not found");
  const [contact] = await db.select().from(contacts).where(eq(contacts.id, conv.contactId));
  const [history, noteRows, assignmentRows, transferRows, previous, teamRows] = await Promise.all([
    db.select().from(messages).where(eq(messages.conversationId, conv.id)).orderBy(asc(messages.createdAt), asc(messages.id)),
    db.select().from(notes).where(eq(notes.conversationId, conv.id)).orderBy(asc(notes.createdAt)),
    db.select().from(assignments).where(eq(assignments.conversationId, conv.id)).orderBy(asc(assignments.startedAt)),
    db.select().from(transfers).where(eq(transfers.conversationId, conv.id)).orderBy(asc(transfers.createdAt)),
    db.select({ id: conversations.id, status: conversations.status, resolvedAt: conversations.resolvedAt, outcome: conversations.outcome, createdAt: conversations.createdAt })
      .from(conversations).where(and(eq(conversations.contactId, conv.contactId), ne(conversations.id, conv.id))).orderBy(desc(conversations.createdAt)).limit(20),
    conv.teamId ? db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.id, conv.teamId)) : [],
  ]);
  // Only the people this history names, not the whole workspace.
  const ids = new Set([conv.assigneeId, ...history.map((m) => m.agentId), ...noteRows.map((n) => n.authorId),
    ...assignmentRows.map((a) => a.agentId), ...transferRows.flatMap((t) => [t.fromAgentId, t.toAgentId])].filter((id): id is string => Boolean(id)));
  const people = ids.size
    ? await db.select({ id: agents.id, name: agents.name }).from(agents).where(and(eq(agents.tenantId, actor.tenantId), inArray(agents.id, [...ids])))
    : [];
  const agentName = new Map(people.map((p) => [p.id, p.name]));
  const teamName = new Map(teamRows.map((t) => [t.id, t.name]));
  const named = (id: string | null) => (id ? { id, name: agentName.get(id) ?? null } : null);
  const { sortKey: _sortKey, ...fields } = conv;
  return {
    ...fields,
    /** The UI counts down to this: after it, only approved templates can be sent. */
    windowClosesAt: windowClosesAt(conv.lastInboundAt),
    contact: contact ? { id: contact.id, name: contact.name, phone: contact.phone, territory: contact.territory } : null,
    team: conv.teamId ? { id: conv.teamId, name: teamName.get(conv.teamId) ?? null } : null,
    assignee: named(conv.assigneeId),
    messages: history.map((m) => ({ ...m, agent: named(m.agentId) })),
    notes: noteRows.map((n) => ({ ...n, author: named(n.authorId) })),
    assignments: assignmentRows.map((a) => ({ ...a, agent: named(a.agentId) })),
    transfers: transferRows.map((t) => ({ ...t, fromAgent: named(t.fromAgentId), toAgent: named(t.toAgentId) })),
    /** Summaries only: the contact's other conversations, for the contact panel. */
    previousConversations: previous,
  };
}
