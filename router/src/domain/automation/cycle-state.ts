import { and, eq } from "drizzle-orm";
import { slaCycles } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import type { Conversation } from "../../assignment/assign.js";

export type CycleState = typeof slaCycles.$inferSelect;

/**
 * The automation row of a conversation's current cycle, created if missing and locked. Callers hold the
 * conversation's row lock first (the lock order of every command), so two instances never both act.
 */
export async function lockCycleState(tx: Tx, conv: Pick<Conversation, "id" | "cycle" | "tenantId">, cycle = conv.cycle): Promise<CycleState> {
  await tx.insert(slaCycles).values({ conversationId: conv.id, cycle, tenantId: conv.tenantId }).onConflictDoNothing();
  const [row] = await tx.select().from(slaCycles)
    .where(and(eq(slaCycles.conversationId, conv.id), eq(slaCycles.cycle, cycle))).for("update");
  return row!;
}

export async function updateCycleState(tx: Tx, state: Pick<CycleState, "conversationId" | "cycle">, set: Partial<CycleState>): Promise<void> {
  await tx.update(slaCycles).set(set).where(and(eq(slaCycles.conversationId, state.conversationId), eq(slaCycles.cycle, state.cycle)));
}
