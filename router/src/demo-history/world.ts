import { and, desc, eq } from "drizzle-orm";
import { contacts, conversations } from "../db/schema/index.js";
import type { Db } from "../db/index.js";
import type { Random } from "../channels/whatsapp/simulator/types.js";
import type { ApiAnswer, HistoryApi } from "./client.js";
import type { Timeline } from "./timeline.js";
import type { SimulatedMeta } from "./meta.js";
import type { Contact, ContactBook } from "./contacts.js";
import type { Person, Workspace } from "./workspace.js";
import { localHour, MINUTE_MS } from "./calendar.js";

export type Tally = { conversations: number; reopens: number; inbound: number };
export type ConversationState = { id: string; assigneeId: string | null; status: string; cycle: number; teamId: string | null };
type CustomerMessage = { text: string } | { menu: string; title: string };

/** Everything a simulated actor needs: the clock's timeline, the API, the workspace, Meta and the dice. */
export type World = {
  db: Db; api: HistoryApi; timeline: Timeline; ws: Workspace; meta: SimulatedMeta; random: Random; book: ContactBook;
  tally: Tally; seenConversations: Set<string>; seq: { inbound: number };
  /** A random stream of its own for each fiber, so concurrent fibers draw the same numbers whatever their timing. */
  fork: (a: number, b: number) => World;
  /** Runs an automation job (SLA, expiry, CSAT) on the simulated clock. */
  runJob: (name: "sla" | "expiry" | "csat" | "presence") => Promise<void>;
};

export const minutes = (n: number) => n * MINUTE_MS;
export const between = (w: World, lo: number, hi: number) => lo + Math.floor(w.random() * (hi - lo));

export async function conversationState(w: World, id: string): Promise<ConversationState> {
  const [row] = await w.db.select({ id: conversations.id, assigneeId: conversations.assigneeId, status: conversations.status, cycle: conversations.cycle, teamId: conversations.teamId })
    .from(conversations).where(eq(conversations.id, id));
  return row!;
}

/** A customer message as Meta delivers it (signed webhook); returns the conversation the router filed it under. */
export async function customerWrites(w: World, contact: Contact, message: CustomerMessage): Promise<ConversationState> {
  const id = `wamid.HISTIN${(++w.seq.inbound).toString(36).toUpperCase()}${contact.phone}`;
  const base = { from: contact.phone, id, timestamp: String(Math.floor(w.timeline.now / 1000)) };
  const body = "text" in message
    ? { ...base, type: "text", text: { body: message.text } }
    : { ...base, type: "interactive", interactive: { type: "list_reply", list_reply: { id: message.menu, title: message.title } } };
  await w.api.webhook(w.ws.phoneNumberId, { contacts: [{ profile: { name: contact.name }, wa_id: contact.phone }], messages: [body] });
  w.tally.inbound++;
  const [row] = await w.db.select({ id: conversations.id }).from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(eq(contacts.tenantId, w.ws.tenantId), eq(contacts.phone, contact.phone))).orderBy(desc(conversations.cycleStartedAt)).limit(1);
  const state = await conversationState(w, row!.id);
  if (!w.seenConversations.has(state.id)) { w.seenConversations.add(state.id); w.tally.conversations++; }
  await w.meta.acceptQueued(state.id, w.random);
  return state;
}

export function personById(w: World, agentId: string | null): Person | null {
  if (!agentId) return null;
  return w.ws.agents.find((a) => a.id === agentId) ?? w.ws.supervisors.find((a) => a.id === agentId) ?? (w.ws.admin.id === agentId ? w.ws.admin : null);
}

/** The current assignee does something to the conversation; nothing happens if nobody holds it. */
export async function assigneeDoes(w: World, convId: string, path: string, body?: unknown): Promise<ApiAnswer | null> {
  const state = await conversationState(w, convId);
  if (state.status === "resolved") return null;
  const who = personById(w, state.assigneeId);
  if (!who) return null;
  const answer = await w.api.call("POST", `/v1/conversations/${convId}${path}`, who.token, body);
  // Replies and resolves (the CSAT survey) queue messages for Meta; other commands send nothing.
  if (path === "/messages" || path === "/resolve") await w.meta.acceptQueued(convId, w.random);
  return answer;
}

/**
 * Waits until someone holds the conversation, or gives up at `until`: looks every 5 simulated minutes in
 * the working day (8:00–19:59 in the workspace's zone) and every hour at night, when nobody claims.
 */
export async function waitForAssignee(w: World, convId: string, until: number): Promise<ConversationState | null> {
  for (;;) {
    const state = await conversationState(w, convId);
    if (state.status === "resolved") return null;
    if (state.assigneeId) return state;
    if (w.timeline.now >= until) return null;
    const hour = localHour(w.ws.timeZone, new Date(w.timeline.now));
    await w.timeline.after(minutes(hour >= 8 && hour < 20 ? 5 : 60));
  }
}

/** A supervisor's clean-up: resolves a conversation nobody finished (an admin may resolve any). */
export async function adminResolves(w: World, convId: string): Promise<void> {
  const state = await conversationState(w, convId);
  if (state.status === "resolved") return;
  await w.api.call("POST", `/v1/conversations/${convId}/resolve`, w.ws.admin.token, { outcome: "resolved" });
  await w.meta.acceptQueued(convId, w.random);
}
