import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import { outboxSignal } from "./signal.js";
import { buildEvent, eventKey, type EventContext, type EventEnvelope, type EventPayload, type EventType } from "../events/index.js";

/** Collects a command's events and writes them to the outbox inside the command's transaction. */
export class EventBatch {
  readonly events: EventEnvelope[] = [];
  constructor(private readonly occurredAt: Date) {}

  add<T extends EventType>(type: T, ctx: EventContext, payload: EventPayload<T>): EventEnvelope<T> {
    const event = buildEvent(type, ctx, payload, this.occurredAt);
    this.events.push(event as EventEnvelope);
    return event;
  }

  async flush(tx: Tx): Promise<void> {
    if (this.events.length === 0) return;
    const rows = this.events.map((e) => ({ id: e.id, tenant_id: e.tenant_id, type: e.type, key: eventKey(e), envelope: JSON.stringify(e) }));
    const sql = rawSql(tx);
    await sql`INSERT INTO outbox ${sql(rows, "id", "tenant_id", "type", "key", "envelope")}`;
    this.events.length = 0;
    outboxSignal.notify();
  }
}
