import { and, eq, lt, ne } from "drizzle-orm";
import { agentActivity, conversations } from "../db/schema/index.js";
import { adminResolves, type World } from "./world.js";

/**
 * Resolves every conversation of the workspace still open or pending from before `before` (the end of the
 * simulated past, or the start of a resumed day): the live router's sweepers, on the real clock, then find
 * nothing of the history to act on, and no agent's seat stays taken by it.
 */
export async function closeLeftovers(w: World, before: Date): Promise<number> {
  const open = await w.db.select({ id: conversations.id }).from(conversations)
    .where(and(eq(conversations.tenantId, w.ws.tenantId), ne(conversations.status, "resolved"), lt(conversations.lastMessageAt, before)));
  for (const conv of open) await adminResolves(w, conv.id);
  return open.length;
}

/** CSAT surveys are a workspace setting; the history turns them on so quality dashboards have scores. */
export async function ensureCsat(w: World): Promise<boolean | null> {
  const current = await w.api.call("GET", "/v1/workspace/automation", w.ws.admin.token);
  if (current.status !== 200) return null;
  const before = Boolean(current.body.csatEnabled);
  if (!before) await w.api.call("PATCH", "/v1/workspace/automation", w.ws.admin.token, { csatEnabled: true });
  return before;
}

export async function restoreCsat(w: World, before: boolean | null) {
  if (before === false) await w.api.call("PATCH", "/v1/workspace/automation", w.ws.admin.token, { csatEnabled: false });
}

/**
 * The disconnect episodes leave heartbeats stamped in the past; the live presence job (real clock) would
 * read them as agents gone quiet and set them away. Heartbeats the history created are forgotten, as if
 * those agents had never opened the inbox; ones that existed before are left as they are.
 */
export async function forgetHeartbeats(w: World, existedBefore: Set<string>) {
  for (const person of w.ws.agents) {
    if (!existedBefore.has(person.id)) await w.db.delete(agentActivity).where(eq(agentActivity.agentId, person.id));
  }
}
