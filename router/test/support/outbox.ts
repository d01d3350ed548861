import type postgres from "postgres";
import { parseEvent, type EventEnvelope, type EventType } from "../../src/events/index.js";

/** The outbox as a consumer will see it: every envelope re-validated against the shared contract. */
export async function outboxEvents(sql: postgres.Sql, where: { conversationId?: string; agentId?: string; tenantId?: string } = {}): Promise<EventEnvelope[]> {
  const rows = await sql<{ envelope: unknown }[]>`
    SELECT envelope FROM outbox
    WHERE (${where.conversationId ?? null}::text IS NULL OR envelope->>'conversation_id' = ${where.conversationId ?? null})
      AND (${where.agentId ?? null}::text IS NULL OR envelope->>'agent_id' = ${where.agentId ?? null})
      AND (${where.tenantId ?? null}::text IS NULL OR tenant_id::text = ${where.tenantId ?? null})
    ORDER BY created_at, id`;
  return rows.map((r) => {
    const parsed = parseEvent(r.envelope);
    if (!parsed.ok) throw new Error(`outbox holds an invalid event: ${parsed.reason}`);
    return parsed.event;
  });
}

export const types = (events: EventEnvelope[]) => events.map((e) => e.type);

/** The events of one type, typed by it. */
export const ofType = <T extends EventType>(events: EventEnvelope[], type: T) =>
  events.filter((e): e is EventEnvelope<T> => e.type === type);
