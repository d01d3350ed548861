import { performance } from "node:perf_hooks";
import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { inTransaction, type DbHandle } from "../src/db/index.js";
import { contacts, conversations, teams } from "../src/db/schema/index.js";
import { autoAssign } from "../src/assignment/auto.js";
import { receiveInbound } from "../src/domain/inbound.js";
import { EventBatch } from "../src/outbox/append.js";
import { systemClock } from "../src/clock.js";
import type { SeededWorkspace, Strategy } from "./seed.js";

export type AssignSamples = { strategy: Strategy; autoAssignMs: number[]; inboundMs: number[] };

const WARMUP = 20;
let phoneSeq = 0;
const nextPhone = () => `5299${String(++phoneSeq).padStart(8, "0")}`;

/**
 * The assignment decision for a new conversation, one at a time, in a team with every agent online:
 * (a) `autoAssign` alone, timed inside the transaction that opened the conversation (lock team, load of
 * every member, pick, capacity check under the agent's lock, writes); (b) the whole inbound command
 * (`receiveInbound`, in-process, no HTTP) for a new customer routed to that team.
 */
export async function benchAssignment(h: DbHandle, ws: SeededWorkspace, samples: number, strategies: Strategy[]): Promise<AssignSamples[]> {
  const team = ws.teams[0]!;
  const out: AssignSamples[] = [];
  for (const strategy of strategies) {
    await h.db.update(teams).set({ strategy, rrLastAgentId: null }).where(eq(teams.id, team.id));
    const autoAssignMs: number[] = [];
    for (let i = 0; i < samples + WARMUP; i++) {
      const ms = await inTransaction(h.db, async (tx) => {
        const now = systemClock.now();
        const [contact] = await tx.insert(contacts).values({ id: uuidv7(), tenantId: ws.tenantId, phone: nextPhone(), name: "Cliente" }).returning();
        const [conv] = await tx.insert(conversations).values({
          id: uuidv7(), tenantId: ws.tenantId, channelId: ws.channelId, contactId: contact!.id, status: "open", cycle: 1,
          cycleStartedAt: now, teamId: team.id, lastMessageAt: now, lastInboundAt: now, waitingSince: now,
        }).returning();
        const events = new EventBatch(now);
        const t0 = performance.now();
        const agentId = await autoAssign(tx, events, conv!, { now, routedBy: "default" });
        const elapsed = performance.now() - t0;
        if (!agentId) throw new Error("autoAssign left the conversation unassigned: capacity too low for the samples");
        await events.flush(tx);
        return elapsed;
      });
      if (i >= WARMUP) autoAssignMs.push(ms);
    }
    const inboundMs: number[] = [];
    for (let i = 0; i < samples + WARMUP; i++) {
      const t0 = performance.now();
      const r = await receiveInbound({ db: h.db, clock: systemClock }, {
        phoneNumberId: ws.phoneNumberId, from: nextPhone(), contactName: "Cliente", waMessageId: `wamid.assign.${phoneSeq}`, kind: "text", text: "Hola",
      });
      const elapsed = performance.now() - t0;
      if (r.duplicate || !r.assigneeId) throw new Error(`inbound message was not assigned: ${JSON.stringify(r)}`);
      if (i >= WARMUP) inboundMs.push(elapsed);
    }
    out.push({ strategy, autoAssignMs, inboundMs });
  }
  return out;
}
