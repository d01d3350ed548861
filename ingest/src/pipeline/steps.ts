import { parseEvent, type EventEnvelope } from "@centralita/router/events";

/** A message as any bus delivers it: the envelope's bytes plus where it came from. */
export type IngestMessage = {
  key: string | null;
  value: string;
  /** Kafka coordinates when the message came from Kafka. */
  partition?: number;
  offset?: string;
};

export type EventRow = {
  tenant_id: string;
  type: string;
  occurred_at: string;
  id: string;
  version: number;
  conversation_id: string;
  channel_id: string;
  contact_id: string;
  agent_id: string;
  team_id: string;
  payload: string;
};

export type DeadLetter = { step: StepName; reason: string; message: IngestMessage; eventId: string; tenantId: string };

export type StepName = "decode" | "validate" | "to_row";
type StepResult<T> = { ok: true; value: T } | { ok: false; reason: string };
type Step<I, O> = { name: StepName; run: (input: I) => StepResult<O> };

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

const decode: Step<IngestMessage, unknown> = {
  name: "decode",
  run(message) {
    try {
      return { ok: true, value: JSON.parse(message.value) };
    } catch (error) {
      return { ok: false, reason: `not JSON: ${(error as Error).message}` };
    }
  },
};

/** The shared contract is the only gate: whatever it refuses never reaches the events table. */
const validate: Step<unknown, EventEnvelope> = {
  name: "validate",
  run(input) {
    const parsed = parseEvent(input);
    return parsed.ok ? { ok: true, value: parsed.event } : { ok: false, reason: parsed.reason };
  },
};

const toRow: Step<EventEnvelope, EventRow> = {
  name: "to_row",
  run(event) {
    return {
      ok: true,
      value: {
        tenant_id: event.tenant_id,
        type: event.type,
        occurred_at: event.occurred_at,
        id: event.id,
        version: event.version,
        conversation_id: event.conversation_id ?? NIL_UUID,
        channel_id: event.channel_id ?? NIL_UUID,
        contact_id: event.contact_id ?? NIL_UUID,
        agent_id: event.agent_id ?? NIL_UUID,
        team_id: event.team_id ?? NIL_UUID,
        payload: JSON.stringify(event.payload),
      },
    };
  },
};

/** What we can still tell about a refused message, so a dead letter can be traced to its event. */
function identify(value: unknown): { eventId: string; tenantId: string } {
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  return { eventId: String(record.id ?? ""), tenantId: String(record.tenant_id ?? "") };
}

export type PipelineOutput = { rows: EventRow[]; deadLetters: DeadLetter[] };

/** Runs decode → validate → to_row over a batch; a message that fails a step becomes a dead letter. */
export function runPipeline(messages: IngestMessage[]): PipelineOutput {
  const rows: EventRow[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of messages) {
    const decoded = decode.run(message);
    if (!decoded.ok) {
      deadLetters.push({ step: decode.name, reason: decoded.reason, message, eventId: "", tenantId: "" });
      continue;
    }
    const valid = validate.run(decoded.value);
    if (!valid.ok) {
      deadLetters.push({ step: validate.name, reason: valid.reason, message, ...identify(decoded.value) });
      continue;
    }
    const row = toRow.run(valid.value);
    if (row.ok) rows.push(row.value);
    else deadLetters.push({ step: toRow.name, reason: row.reason, message, ...identify(decoded.value) });
  }
  return { rows, deadLetters };
}
