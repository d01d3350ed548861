import { randomUUID } from "node:crypto";
import { EventBatch, inTransaction, type Db } from "@centralita/router";

export type Written = { ids: string[]; idsByKey: Map<string, string[]> };

/**
 * Commits `conversations × perConversation` valid message.received events, a transaction per round, the
 * way the router writes them: through EventBatch into the outbox. Returns ids in commit order per key.
 */
export async function writeSyntheticEvents(db: Db, opts: { tenantId?: string; conversations: number; perConversation: number; perTransaction?: number }): Promise<Written> {
  const tenantId = opts.tenantId ?? randomUUID();
  const conversationIds = Array.from({ length: opts.conversations }, () => randomUUID());
  const written: Written = { ids: [], idsByKey: new Map(conversationIds.map((c) => [c, []])) };
  const pending = conversationIds.flatMap((_, i) => Array.from({ length: opts.perConversation }, (_, round) => ({ conversationId: conversationIds[i]!, round })))
    .sort((a, b) => a.round - b.round);
  const perTransaction = opts.perTransaction ?? 500;
  for (let start = 0; start < pending.length; start += perTransaction) {
    const slice = pending.slice(start, start + perTransaction);
    const batch = new EventBatch(new Date());
    for (const { conversationId } of slice) {
      const event = batch.add("message.received", { tenantId, conversationId }, {
        cycle: 1, message_id: randomUUID(), wa_message_id: `wamid.${randomUUID()}`, kind: "text", length: 12,
      });
      written.ids.push(event.id);
      written.idsByKey.get(conversationId)!.push(event.id);
    }
    await inTransaction(db, (tx) => batch.flush(tx));
  }
  return written;
}
