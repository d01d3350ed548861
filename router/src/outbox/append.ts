import type postgres from "postgres";
import { rawSql } from "../db/raw.js";
import type { Tx } from "../db/index.js";
import { outboxSignal } from "./signal.js";
import { countWritten } from "./tally.js";
import { buildEvent, eventKey, type EventContext, type EventEnvelope, type EventPayload, type EventType } from "../events/index.js";

/** An event as its outbox row. */
export const outboxRowOf = (e: EventEnvelope) => ({ id: e.id, tenant_id: e.tenant_id, type: e.type, key: eventKey(e), envelope: JSON.stringify(e) });
export type OutboxRow = ReturnType<typeof outboxRowOf>;

/**
 * Collects a command's events and writes them to the outbox inside the command's transaction. The outbox
 * orders a key's events by insertion time, so events are written in the order they were added.
 */
export class EventBatch {
  readonly events: EventEnvelope[] = [];
  /** Events handed out by `takeInsert` and not yet confirmed by `stored()`. */
  private embedded = 0;
  constructor(private readonly occurredAt: Date) {}

  add<T extends EventType>(type: T, ctx: EventContext, payload: EventPayload<T>): EventEnvelope<T> {
    const event = this.prepare(type, ctx, payload);
    this.events.push(event as EventEnvelope);
    return event;
  }

  /** An event built but not queued: for `insertIf`, when a write in the same round trip decides whether it happened. */
  prepare<T extends EventType>(type: T, ctx: EventContext, payload: EventPayload<T>): EventEnvelope<T> {
    return buildEvent(type, ctx, payload, this.occurredAt);
  }

  /**
   * Writes the queued events. Callers may issue it alongside other statements without awaiting them first:
   * postgres.js pipelines them on the transaction's connection, in call order.
   */
  async flush(tx: Tx): Promise<void> {
    const insert = this.takeInsert(tx);
    if (!insert) return;
    await insert;
    this.stored();
  }

  /**
   * The queued events as an INSERT to embed in a larger statement (a data-modifying CTE); null when none are
   * queued. The caller calls `stored()` once that statement has run.
   */
  takeInsert(tx: Tx): postgres.Fragment | null {
    const batch = this.events.splice(0);
    if (batch.length === 0) return null;
    this.embedded += batch.length;
    const sql = rawSql(tx);
    return sql`INSERT INTO outbox ${sql(batch.map(outboxRowOf), "id", "tenant_id", "type", "key", "envelope")}`;
  }

  /**
   * The queued events as rows, for a statement that writes several commands' events at once; the caller
   * calls `stored()` once that statement has run.
   */
  takeRows(): OutboxRow[] {
    const batch = this.events.splice(0);
    this.embedded += batch.length;
    return batch.map(outboxRowOf);
  }

  /** Writes one prepared event only if `condition` (SQL, evaluated by Postgres in this statement) holds. */
  insertIf(tx: Tx, event: EventEnvelope, condition: postgres.Fragment): postgres.Fragment {
    const r = outboxRowOf(event);
    return rawSql(tx)`INSERT INTO outbox (id, tenant_id, type, key, envelope)
      SELECT ${r.id}, ${r.tenant_id}, ${r.type}, ${r.key}, ${r.envelope} WHERE ${condition}`;
  }

  /**
   * The statement carrying `takeInsert`'s events has run, and with it `conditional` events of `insertIf`
   * whose condition held: counts them and wakes the relay, as `flush` does.
   */
  stored(conditional = 0): void {
    countWritten(this.embedded + conditional);
    this.embedded = 0;
    outboxSignal.notify();
  }
}

/**
 * An INSERT of outbox rows sent as arrays (one statement text whatever their number), in their order, for a
 * statement that writes several commands' events at once. With `gate`, a row whose `gates` entry is not 0 is
 * written only if `gate.passes` (SQL over `e.gate`, evaluated by Postgres in this statement) holds.
 */
export function insertOutboxRows(tx: Tx, rows: OutboxRow[], gate?: { gates: number[]; passes: postgres.Fragment }): postgres.Fragment {
  const col = <K extends keyof OutboxRow>(k: K) => rows.map((r) => r[k]);
  return rawSql(tx)`INSERT INTO outbox (id, tenant_id, type, key, envelope)
    SELECT e.id, e.tenant_id, e.type, e.key, e.envelope::jsonb
    FROM unnest(${col("id")}::uuid[], ${col("tenant_id")}::uuid[], ${col("type")}::text[], ${col("key")}::text[], ${col("envelope")}::text[],
        ${gate?.gates ?? rows.map(() => 0)}::int[]) WITH ORDINALITY AS e(id, tenant_id, type, key, envelope, gate, ord)
    WHERE e.gate = 0 OR ${gate?.passes ?? rawSql(tx)`false`} ORDER BY e.ord`;
}
