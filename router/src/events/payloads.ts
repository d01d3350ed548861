import { z } from "zod";

/** Payload schemas for every event type, version 1. Personal data never appears here (invariant 3). */
const uuid = z.uuid();
const nullableUuid = uuid.nullable();
const cycle = z.number().int().positive();
const isoTime = z.iso.datetime({ offset: true });

export const assignmentMethods = [
  "round_robin", "least_loaded", "skill", "territory", "sticky",
  "manual", "claim", "reassign_timeout", "escalation",
] as const;
export const outcomes = ["resolved", "won", "lost", "abandoned", "expired"] as const;
export const presences = ["online", "away", "offline"] as const;
export const messageKinds = [
  "text", "image", "audio", "video", "document", "sticker", "location", "contacts",
  "interactive", "button", "reaction", "template", "unsupported",
] as const;

const currency = z.string().regex(/^[A-Z]{3}$/);

export const payloadSchemas = {
  "conversation.opened": z.object({
    cycle,
    team_id: nullableUuid,
    department: z.string().nullable(),
    territory: z.string().nullable(),
    is_new_contact: z.boolean(),
    out_of_hours: z.boolean(),
    is_lead: z.boolean(),
    routed_by: z.enum(["keyword", "menu", "territory", "default", "none"]),
  }),
  "conversation.reopened": z.object({
    cycle,
    reopened_by: z.enum(["customer", "agent"]),
    previous_resolved_at: isoTime,
    previous_resolved_by_agent_id: nullableUuid,
  }),
  "conversation.status_changed": z.object({
    cycle,
    from: z.enum(["open", "pending"]),
    to: z.enum(["open", "pending"]),
  }),
  "conversation.resolved": z.object({
    cycle,
    outcome: z.enum(outcomes),
    deal_value: z.number().nonnegative().nullable(),
    currency: currency.nullable(),
    loss_reason: z.string().max(200).nullable(),
    resolved_by: z.enum(["agent", "bot", "automation"]),
    assignee_agent_id: nullableUuid,
  }),
  "conversation.assigned": z.object({
    cycle,
    assignee_type: z.enum(["agent", "team"]),
    to_agent_id: nullableUuid,
    to_team_id: nullableUuid,
    previous_agent_id: nullableUuid,
    method: z.enum(assignmentMethods),
    strategy: z.enum(["round_robin", "least_loaded", "manual"]).nullable(),
  }),
  "conversation.unassigned": z.object({
    cycle,
    previous_agent_id: uuid,
    reason: z.enum(["agent_offline", "capacity_change", "released", "agent_deactivated", "transfer"]),
  }),
  "conversation.transferred": z.object({
    cycle,
    from_agent_id: nullableUuid,
    from_team_id: nullableUuid,
    to_agent_id: nullableUuid,
    to_team_id: nullableUuid,
    reason: z.string().max(200).nullable(),
    note_id: nullableUuid,
  }),
  "conversation.tagged": z.object({ cycle, tag: z.string().min(1).max(64), action: z.enum(["added", "removed"]) }),
  "message.received": z.object({
    cycle,
    message_id: uuid,
    wa_message_id: z.string().min(1),
    kind: z.enum(messageKinds),
    length: z.number().int().nonnegative(),
  }),
  "message.sent": z.object({
    cycle,
    message_id: uuid,
    wa_message_id: z.string().nullable(),
    sender: z.enum(["agent", "bot", "automation", "template"]),
    template_name: z.string().nullable(),
    kind: z.enum(messageKinds),
    length: z.number().int().nonnegative(),
  }),
  "message.status": z.object({
    message_id: uuid,
    /** Null when the Graph API refused the send outright (no WhatsApp id was ever issued). */
    wa_message_id: z.string().nullable(),
    status: z.enum(["sent", "delivered", "read", "failed"]),
    error_code: z.number().int().nullable(),
  }),
  "note.added": z.object({ cycle, note_id: uuid, length: z.number().int().nonnegative() }),
  "sla.breached": z.object({
    cycle,
    target_seconds: z.number().int().positive(),
    waited_seconds: z.number().int().nonnegative(),
  }),
  "sla.escalated": z.object({
    cycle,
    from_agent_id: nullableUuid,
    to_agent_id: nullableUuid,
    rule: z.string(),
  }),
  "csat.requested": z.object({ cycle }),
  "csat.submitted": z.object({
    cycle,
    score: z.number().int().min(1).max(5),
    comment_length: z.number().int().nonnegative(),
  }),
  "agent.presence_changed": z.object({
    from: z.enum(presences),
    to: z.enum(presences),
    source: z.enum(["manual", "idle_timeout", "disconnect", "admin"]),
  }),
  "agent.capacity_changed": z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }),
} as const;

export type EventType = keyof typeof payloadSchemas;
export type EventPayload<T extends EventType> = z.infer<(typeof payloadSchemas)[T]>;
export const eventTypes = Object.keys(payloadSchemas) as EventType[];
