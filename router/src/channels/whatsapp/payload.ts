import { z } from "zod";
import type { InboundMessage } from "../../domain/inbound.js";
import type { StatusUpdate } from "./statuses.js";
import { messageKinds } from "../../events/index.js";

/** Meta's webhook shape, validated loosely: unknown fields pass, unknown message kinds become "unsupported". */
const Message = z.looseObject({
  from: z.string().regex(/^\d{6,20}$/),
  id: z.string().min(1).max(256),
  timestamp: z.string().regex(/^\d+$/).optional(),
  type: z.string().min(1).max(50),
  text: z.looseObject({ body: z.string().max(65536) }).optional(),
  interactive: z.looseObject({
    type: z.string(),
    button_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
    list_reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
  }).optional(),
  button: z.looseObject({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  reaction: z.looseObject({ emoji: z.string().optional() }).optional(),
  image: z.looseObject({ caption: z.string().optional() }).optional(),
  video: z.looseObject({ caption: z.string().optional() }).optional(),
  document: z.looseObject({ caption: z.string().optional(), filename: z.string().optional() }).optional(),
});
const Value = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1).max(64) }),
  contacts: z.array(z.looseObject({ wa_id: z.string().optional(), profile: z.looseObject({ name: z.string().max(256).optional() }).optional() })).optional(),
  messages: z.array(Message).optional(),
  statuses: z.array(z.looseObject({
    id: z.string().min(1).max(256),
    status: z.string().max(32),
    timestamp: z.string().regex(/^\d{1,12}$/).optional(),
    recipient_id: z.string().optional(),
    errors: z.array(z.looseObject({ code: z.number().int().optional() })).optional(),
  })).optional(),
});
export const WebhookBody = z.object({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(z.looseObject({ id: z.string().optional(), changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })) })),
});

type ParsedMessage = z.infer<typeof Message>;
const knownKinds = new Set<string>(messageKinds);

function textOf(m: ParsedMessage): { text: string | null; menuChoice: string | null } {
  const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
  if (reply) return { text: reply.title, menuChoice: reply.id };
  if (m.button) return { text: m.button.text ?? null, menuChoice: m.button.payload ?? null };
  const text = m.text?.body ?? m.image?.caption ?? m.video?.caption ?? m.document?.caption ?? m.reaction?.emoji ?? null;
  return { text, menuChoice: null };
}

export type ParsedWebhook = { messages: InboundMessage[]; statuses: StatusUpdate[]; skippedChanges: number };
const deliveryStatuses = new Set(["sent", "delivered", "read", "failed"]);

/** Flattens a (possibly batched) webhook into inbound messages; throws a ZodError on a malformed body. */
export function parseWebhook(body: unknown): ParsedWebhook {
  const parsed = WebhookBody.parse(body);
  const out: ParsedWebhook = { messages: [], statuses: [], skippedChanges: 0 };
  for (const entry of parsed.entry) {
    for (const change of entry.changes) {
      if (change.field !== "messages") { out.skippedChanges++; continue; }
      const value = Value.parse(change.value);
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? null]));
      for (const st of value.statuses ?? []) {
        // Other statuses Meta may add (e.g. "deleted") carry nothing the inbox or analytics use.
        if (!deliveryStatuses.has(st.status)) continue;
        out.statuses.push({
          phoneNumberId: value.metadata.phone_number_id, waMessageId: st.id, status: st.status as StatusUpdate["status"],
          at: st.timestamp ? new Date(Number(st.timestamp) * 1000) : new Date(), errorCode: st.errors?.[0]?.code ?? null,
        });
      }
      for (const m of value.messages ?? []) {
        const { text, menuChoice } = textOf(m);
        out.messages.push({
          phoneNumberId: value.metadata.phone_number_id, from: m.from, contactName: names.get(m.from) ?? null, waMessageId: m.id,
          kind: (knownKinds.has(m.type) ? m.type : "unsupported") as InboundMessage["kind"], text, menuChoice,
        });
      }
    }
  }
  return out;
}
