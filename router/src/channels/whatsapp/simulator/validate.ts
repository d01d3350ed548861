import { z } from "zod";
import { messageTypes, type OutboundType } from "./types.js";

const Text = z.looseObject({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() });

const Template = z.looseObject({
  name: z.string().min(1).max(512),
  language: z.looseObject({ code: z.string().min(2).max(15), policy: z.literal("deterministic").optional() }),
  components: z.array(z.looseObject({
    type: z.string().min(1),
    sub_type: z.string().optional(),
    parameters: z.array(z.looseObject({ type: z.string().min(1) })).optional(),
  })).optional(),
});

const ReplyButton = z.looseObject({
  type: z.literal("reply"),
  reply: z.looseObject({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
});
const ListRow = z.looseObject({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() });
const ListSection = z.looseObject({ title: z.string().max(24).optional(), rows: z.array(ListRow).min(1).max(10) });
const ListAction = z.looseObject({ button: z.string().min(1).max(20), sections: z.array(ListSection).min(1).max(10) })
  .refine((a) => a.sections.reduce((n, s) => n + s.rows.length, 0) <= 10, { message: "a list may have at most 10 rows in total", path: ["sections"] });

const Interactive = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("button"), body: z.looseObject({ text: z.string().min(1).max(1024) }), action: z.looseObject({ buttons: z.array(ReplyButton).min(1).max(3) }) }),
  z.looseObject({ type: z.literal("list"), body: z.looseObject({ text: z.string().min(1).max(4096) }), action: ListAction }),
]);

const Media = z.looseObject({
  id: z.string().min(1).optional(),
  link: z.url({ protocol: /^https?$/ }).optional(),
  caption: z.string().max(1024).optional(),
  filename: z.string().max(240).optional(),
}).refine((m) => (m.id === undefined) !== (m.link === undefined), { message: "exactly one of id or link is required" });

const Location = z.looseObject({
  latitude: z.coerce.number().min(-90).max(90),
  longitude: z.coerce.number().min(-180).max(180),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

// An empty emoji is how Meta removes a reaction, so it is allowed.
const Reaction = z.looseObject({ message_id: z.string().min(1), emoji: z.string().max(16) });

const contentSchemas: Record<OutboundType, z.ZodType<Record<string, unknown>>> = {
  text: Text, template: Template, interactive: Interactive, image: Media, audio: Media, video: Media,
  document: Media, sticker: Media, location: Location, reaction: Reaction,
};

const Envelope = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.literal("individual").optional(),
  to: z.string().regex(/^\+?\d{6,20}$/),
  type: z.enum(messageTypes).default("text"),
  context: z.looseObject({ message_id: z.string().min(1) }).optional(),
});

export type ValidSend = { to: string; waId: string; type: OutboundType; content: Record<string, unknown>; request: Record<string, unknown> };
export type SendValidation = { ok: true; value: ValidSend } | { ok: false; details: string };

/** Checks a send-message body the way the Cloud API does, answering with Meta-style `details` on the first problem. */
export function validateSend(raw: unknown): SendValidation {
  const envelope = Envelope.safeParse(raw, { reportInput: true });
  if (!envelope.success) return { ok: false, details: describe(envelope.error.issues[0]!, []) };
  const { type } = envelope.data;
  const content = contentSchemas[type].safeParse(envelope.data[type], { reportInput: true });
  if (!content.success) return { ok: false, details: describe(content.error.issues[0]!, [type]) };
  const to = envelope.data.to;
  return { ok: true, value: { to, waId: to.replace(/^\+/, ""), type, content: content.data, request: envelope.data } };
}

/** Meta names parameters like `text['body']` or `interactive['action']['buttons'][3]`. */
function paramName(path: PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? "body") + rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `['${p}']`)).join("");
}

function describe(issue: z.core.$ZodIssue, prefix: PropertyKey[]): string {
  const name = paramName([...prefix, ...issue.path]);
  // reportInput puts `input` on every issue; an undefined one means the field was left out.
  if ("input" in issue && issue.input === undefined) return `The parameter ${name} is required.`;
  if (issue.code === "too_big" && issue.origin === "string") return `Param ${name} must be at most ${issue.maximum} characters long.`;
  if (issue.code === "too_big" && issue.origin === "array") return `Param ${name} must have at most ${issue.maximum} elements.`;
  if (issue.code === "too_small" && issue.origin === "string") return `Param ${name} must be at least ${issue.minimum} characters long.`;
  return `Param ${name} is invalid: ${issue.message}.`;
}
