import { z } from "zod";
import { uuidv7 } from "uuidv7";
import { eventTypes, payloadSchemas, type EventPayload, type EventType } from "./payloads.js";

export const EVENT_TOPIC = "conversation-events";
export const CURRENT_VERSION = 1;

const envelopeBase = z.object({
  id: z.uuid(),
  type: z.enum(eventTypes as [EventType, ...EventType[]]),
  version: z.number().int().positive(),
  occurred_at: z.iso.datetime({ offset: true, precision: 3 }),
  tenant_id: z.uuid(),
  conversation_id: z.uuid().nullable(),
  channel_id: z.uuid().nullable(),
  contact_id: z.uuid().nullable(),
  agent_id: z.uuid().nullable(),
  team_id: z.uuid().nullable(),
  payload: z.record(z.string(), z.unknown()),
});

export type EventEnvelope<T extends EventType = EventType> = Omit<z.infer<typeof envelopeBase>, "type" | "payload"> & {
  type: T;
  payload: EventPayload<T>;
};

export type EventContext = {
  tenantId: string;
  conversationId?: string | null;
  channelId?: string | null;
  contactId?: string | null;
  agentId?: string | null;
  teamId?: string | null;
};

export type ParseResult =
  | { ok: true; event: EventEnvelope }
  | { ok: false; reason: string };

/** Validates an envelope and its type's payload; the only gate events pass on their way to ClickHouse. */
export function parseEvent(input: unknown): ParseResult {
  const base = envelopeBase.safeParse(input);
  if (!base.success) return { ok: false, reason: z.prettifyError(base.error) };
  if (base.data.version !== CURRENT_VERSION) {
    return { ok: false, reason: `unsupported version ${base.data.version} of ${base.data.type}` };
  }
  const payload = payloadSchemas[base.data.type].safeParse(base.data.payload);
  if (!payload.success) return { ok: false, reason: `payload: ${z.prettifyError(payload.error)}` };
  return { ok: true, event: { ...base.data, payload: payload.data } as EventEnvelope };
}

/** Builds a validated envelope; throws on an invalid payload because that is a programming error. */
export function buildEvent<T extends EventType>(
  type: T,
  ctx: EventContext,
  payload: EventPayload<T>,
  occurredAt: Date,
): EventEnvelope<T> {
  const event = {
    id: uuidv7(),
    type,
    version: CURRENT_VERSION,
    occurred_at: occurredAt.toISOString(),
    tenant_id: ctx.tenantId,
    conversation_id: ctx.conversationId ?? null,
    channel_id: ctx.channelId ?? null,
    contact_id: ctx.contactId ?? null,
    agent_id: ctx.agentId ?? null,
    team_id: ctx.teamId ?? null,
    payload: payloadSchemas[type].parse(payload),
  };
  return event as EventEnvelope<T>;
}

/** Kafka key: per-conversation order; presence and capacity events are keyed by agent. */
export function eventKey(event: EventEnvelope): string {
  return event.conversation_id ?? event.agent_id ?? event.tenant_id;
}
