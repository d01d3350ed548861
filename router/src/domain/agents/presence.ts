import { and, eq } from "drizzle-orm";
import { agents } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import { isSupervisor, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { runCommand, type CommandContext, type Deps } from "../commands/run.js";
import type { presences } from "../../events/index.js";

type Presence = (typeof presences)[number];

async function lockAgent(tx: Tx, tenantId: string, agentId: string) {
  const [agent] = await tx.select().from(agents).where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId))).for("no key update");
  if (!agent) throw new DomainError("not_found", "Agent not found");
  return agent;
}

/** Agents set their own presence; supervisors and admins may set anyone's. Coming online drains the queue. */
export async function setPresence(deps: Deps, actor: Actor, agentId: string, presence: Presence, source: "manual" | "idle_timeout" | "disconnect" | "admin" = "manual") {
  if (agentId !== actor.agentId && !isSupervisor(actor)) throw new DomainError("forbidden", "You can only change your own presence");
  return runCommand(deps, async ({ tx, events, now, followUps }) => {
    const agent = await lockAgent(tx, actor.tenantId, agentId);
    if (agent.presence === presence) return agent;
    await tx.update(agents).set({ presence, presenceChangedAt: now }).where(eq(agents.id, agentId));
    events.add("agent.presence_changed", { tenantId: actor.tenantId, agentId }, {
      from: agent.presence, to: presence, source: agentId === actor.agentId ? source : "admin",
    });
    if (presence === "online") followUps.push({ kind: "drain", tenantId: actor.tenantId, agentId });
    return { ...agent, presence };
  });
}

/** A capacity change inside a caller's command: the new seat count, its event, and a drain when it grew. */
export async function applyCapacity(ctx: CommandContext, tenantId: string, agentId: string, capacity: number) {
  const agent = await lockAgent(ctx.tx, tenantId, agentId);
  if (agent.capacity === capacity) return agent;
  await ctx.tx.update(agents).set({ capacity }).where(eq(agents.id, agentId));
  ctx.events.add("agent.capacity_changed", { tenantId, agentId }, { from: agent.capacity, to: capacity });
  if (capacity > agent.capacity) ctx.followUps.push({ kind: "drain", tenantId, agentId });
  return { ...agent, capacity };
}

export async function setCapacity(deps: Deps, actor: Actor, agentId: string, capacity: number) {
  return runCommand(deps, (ctx) => applyCapacity(ctx, actor.tenantId, agentId, capacity));
}
