import { eq } from "drizzle-orm";
import { agentActivity, agents } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import type { Clock } from "../../clock.js";
import type { Actor } from "../actor.js";

/**
 * The web calls this every ~30 s while the inbox is open: the session is alive (last seen), and the user
 * touched the page `idleSeconds` ago (last active). The presence job sets away whoever stops or idles.
 * It never changes presence itself: coming back is the agent's own choice (PUT presence).
 */
export async function recordHeartbeat(deps: { db: Db; clock: Clock }, actor: Actor, idleSeconds = 0) {
  const now = deps.clock.now();
  const lastActiveAt = new Date(now.getTime() - idleSeconds * 1000);
  await deps.db.insert(agentActivity).values({ agentId: actor.agentId, tenantId: actor.tenantId, lastSeenAt: now, lastActiveAt })
    .onConflictDoUpdate({ target: agentActivity.agentId, set: { lastSeenAt: now, lastActiveAt } });
  const [agent] = await deps.db.select({ presence: agents.presence }).from(agents).where(eq(agents.id, actor.agentId));
  return { presence: agent!.presence, lastSeenAt: now.toISOString(), lastActiveAt: lastActiveAt.toISOString() };
}
