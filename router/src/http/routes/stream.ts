import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import { and, eq, inArray } from "drizzle-orm";
import { newRouter, type AppDeps } from "../context.js";
import { errorResponses, security } from "../schemas.js";
import { canView, type Actor } from "../../domain/actor.js";
import { conversations, teamMembers } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import type { EventEnvelope } from "../../events/index.js";

const HEARTBEAT_MS = 15_000;

const StreamQuery = z.object({
  maxSeconds: z.coerce.number().int().min(0).max(3600).default(900).openapi({
    description: "Close the stream after this long (the browser reconnects and re-authenticates); 0 sends `ready` and closes",
  }),
});

/** What a browser learns of an event: enough to know what to reload, nothing personal (invariant 3). */
export type LiveEvent = Pick<EventEnvelope, "id" | "type" | "conversation_id" | "agent_id" | "team_id" | "occurred_at">;

type ConversationScope = { teamId: string | null; assigneeId: string | null; status: string; resolvedAssigneeId: string | null };
type BatchScope = { conversations: Map<string, ConversationScope>; agentTeams: Map<string, string[]> };

/**
 * The hub hands every stream of a workspace the same array for one batch, so the scope lookup runs once per
 * batch, not once per open browser.
 */
const scopeByBatch = new WeakMap<EventEnvelope[], Promise<BatchScope>>();

async function loadScope(db: Db, tenantId: string, events: EventEnvelope[]): Promise<BatchScope> {
  const conversationIds = [...new Set(events.map((e) => e.conversation_id).filter((id): id is string => Boolean(id)))];
  const agentIds = [...new Set(events.filter((e) => !e.conversation_id && e.agent_id).map((e) => e.agent_id!))];
  const [convRows, memberRows] = await Promise.all([
    conversationIds.length
      ? db.select({ id: conversations.id, teamId: conversations.teamId, assigneeId: conversations.assigneeId, status: conversations.status, resolvedAssigneeId: conversations.resolvedAssigneeId })
        .from(conversations).where(and(eq(conversations.tenantId, tenantId), inArray(conversations.id, conversationIds)))
      : [],
    agentIds.length
      ? db.select({ agentId: teamMembers.agentId, teamId: teamMembers.teamId }).from(teamMembers)
        .where(and(eq(teamMembers.tenantId, tenantId), inArray(teamMembers.agentId, agentIds)))
      : [],
  ]);
  const agentTeams = new Map<string, string[]>();
  for (const m of memberRows) agentTeams.set(m.agentId, [...(agentTeams.get(m.agentId) ?? []), m.teamId]);
  return { conversations: new Map(convRows.map((r) => [r.id, r])), agentTeams };
}

function scopeOf(db: Db, tenantId: string, events: EventEnvelope[]): Promise<BatchScope> {
  let scope = scopeByBatch.get(events);
  if (!scope) {
    scope = loadScope(db, tenantId, events);
    scopeByBatch.set(events, scope);
  }
  return scope;
}

const agentFields = ["to_agent_id", "from_agent_id", "previous_agent_id", "assignee_agent_id", "previous_resolved_by_agent_id"];

/** A conversation that just left an agent (transferred, released, reassigned) must still leave his screen. */
function namesActor(actor: Actor, event: EventEnvelope): boolean {
  if (event.agent_id === actor.agentId) return true;
  const payload = event.payload as Record<string, unknown>;
  return agentFields.some((field) => payload[field] === actor.agentId);
}

/** The same scope as the inbox (scenario 14), judged on the conversation's state now; presence by shared team. */
export function visibleTo(actor: Actor, event: EventEnvelope, scope: BatchScope): boolean {
  if (actor.role === "admin" || namesActor(actor, event)) return true;
  if (event.conversation_id) {
    const conversation = scope.conversations.get(event.conversation_id);
    return conversation ? canView(actor, conversation) : false;
  }
  const teams = event.agent_id ? scope.agentTeams.get(event.agent_id) ?? [] : [];
  return teams.some((t) => actor.teamIds.includes(t));
}

const toLiveEvent = (e: EventEnvelope): LiveEvent =>
  ({ id: e.id, type: e.type, conversation_id: e.conversation_id, agent_id: e.agent_id, team_id: e.team_id, occurred_at: e.occurred_at });

async function writeVisible(deps: AppDeps, stream: SSEStreamingApi, actor: Actor, events: EventEnvelope[]) {
  const scope = await scopeOf(deps.db, actor.tenantId, events);
  for (const event of events) {
    if (stream.aborted || stream.closed) return;
    if (!visibleTo(actor, event, scope)) continue;
    await stream.writeSSE({ id: event.id, event: event.type, data: JSON.stringify(toLiveEvent(event)) });
  }
}

/** Resolves after `ms`, or at once when the browser goes away. */
function pause(stream: SSEStreamingApi, ms: number, gone: Promise<void>) {
  return Promise.race([stream.sleep(ms), gone]);
}

async function serveStream(deps: AppDeps, stream: SSEStreamingApi, actor: Actor, maxSeconds: number) {
  let markGone = () => {};
  const gone = new Promise<void>((resolve) => { markGone = resolve; });
  // Batches are filtered with a query each; chaining keeps them in the order they were published.
  let chain = Promise.resolve();
  const stopListening = deps.live?.subscribe(actor.tenantId, (events) => {
    chain = chain.then(() => writeVisible(deps, stream, actor, events))
      .catch((error) => deps.log?.("live stream write failed", { error: String(error) }));
  });
  let subscribed = Boolean(stopListening);
  const unsubscribe = () => {
    if (subscribed) stopListening?.();
    subscribed = false;
  };
  stream.onAbort(() => { unsubscribe(); markGone(); });
  try {
    await stream.writeSSE({ event: "ready", data: JSON.stringify({ agent_id: actor.agentId }), retry: 2000 });
    const closesAt = Date.now() + maxSeconds * 1000;
    while (!stream.aborted && Date.now() < closesAt) {
      await pause(stream, Math.min(HEARTBEAT_MS, closesAt - Date.now()), gone);
      if (!stream.aborted && Date.now() < closesAt) await stream.write(": heartbeat\n\n");
    }
  } finally {
    unsubscribe();
    await chain;
  }
}

/**
 * The live feed of the inbox: the events the signed-in agent may see, as server-sent events, as soon as the
 * outbox relay publishes them. A reconnecting browser reloads what it shows; the router's state, not this
 * stream, is the source of truth, so nothing is replayed.
 */
export function streamRoutes(deps: AppDeps) {
  const app = newRouter();
  if (!deps.live) deps.log?.("live hub not configured: /v1/stream sends heartbeats only");
  app.openapi(createRoute({ method: "get", path: "/stream", summary: "Live events in your scope (server-sent events)", tags: ["live"], security,
    request: { query: StreamQuery },
    responses: { 200: { description: "text/event-stream: `event: <type>`, `data: {id,type,conversation_id,agent_id,team_id,occurred_at}`", content: { "text/event-stream": { schema: z.string() } } }, ...errorResponses } }),
    (c) => {
      const actor = c.var.actor;
      const { maxSeconds } = c.req.valid("query");
      c.header("X-Accel-Buffering", "no");
      return streamSSE(c, (stream) => serveStream(deps, stream, actor, maxSeconds)) as never;
    });
  return app;
}
