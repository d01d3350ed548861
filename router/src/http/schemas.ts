import { z } from "@hono/zod-openapi";

/** Request schemas shared by the routes; responses are documented loosely as JSON objects. */
export const IdParam = z.object({ id: z.uuid().openapi({ param: { name: "id", in: "path" } }) });
export const Json = z.record(z.string(), z.unknown()).openapi("Object");
export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } }, required: true });
export const okJson = (description: string) => ({ description, content: { "application/json": { schema: Json } } });
export const errorResponses = {
  400: { description: "Invalid input (code invalid_input)" },
  401: { description: "Not authenticated" },
  403: { description: "Not allowed for this role or scope" },
  404: { description: "Not found or not visible" },
  409: { description: "Conflicts with the current state (already_assigned, not_assignee, agent_at_capacity, …)" },
};
export const security = [{ bearer: [] }];

const text = (max: number) => z.string().trim().min(1).max(max);

const replyOptions = { sign: z.boolean().optional(), takeover: z.boolean().optional() };
const id = z.string().trim().min(1).max(256);
const Interactive = z.discriminatedUnion("type", [
  z.object({ type: z.literal("button"), body: text(1024), buttons: z.array(z.object({ id, title: text(20) })).min(1).max(3) }),
  z.object({
    type: z.literal("list"), body: text(1024), button: text(20),
    sections: z.array(z.object({ title: text(24), rows: z.array(z.object({ id, title: text(24), description: text(72).optional() })).min(1).max(10) })).min(1).max(10),
  }),
]);
const Media = z.object({
  type: z.enum(["image", "video", "audio", "document"]), id: id.optional(), link: z.url({ protocol: /^https$/ }).optional(),
  caption: text(1024).optional(), filename: text(240).optional(),
}).refine((m) => Boolean(m.id) !== Boolean(m.link), { message: "Give the media's id or its https link, not both" });

/** A reply is exactly one of: text, an approved template, interactive buttons/list, or media. */
export const ReplyBody = z.union([
  z.strictObject({ text: text(4096), ...replyOptions }),
  z.strictObject({ template: z.object({ name: id, language: z.string().min(2).max(10), parameters: z.array(z.string().max(1024)).max(20).default([]) }), ...replyOptions }),
  z.strictObject({ interactive: Interactive, ...replyOptions }),
  z.strictObject({ media: Media, ...replyOptions }),
]).openapi("Reply");
export const NoteBody = z.object({ text: text(4000) }).openapi("Note");
export const AssignBody = z.object({ agentId: z.uuid() }).openapi("Assign");
export const TransferBody = z.object({
  toAgentId: z.uuid().optional(), toTeamId: z.uuid().optional(), reason: text(200).optional(), note: text(4000).optional(),
}).refine((b) => b.toAgentId || b.toTeamId, { message: "Name toAgentId or toTeamId" }).openapi("Transfer");
export const StatusBody = z.object({ status: z.enum(["open", "pending"]) }).openapi("Status");
export const ResolveBody = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("resolved") }),
  z.object({ outcome: z.literal("won"), dealValue: z.number().nonnegative().max(1e11), currency: z.string().regex(/^[A-Z]{3}$/) }),
  z.object({ outcome: z.literal("lost"), lossReason: text(200) }),
]).openapi("Resolve");
export const TagBody = z.object({ tag: z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}_\- ]+$/u) }).openapi("Tag");
export const InboxQuery = z.object({
  view: z.enum(["unassigned", "mine", "team", "all"]).default("all"),
  status: z.enum(["open", "pending", "resolved"]).optional(),
  teamId: z.uuid().optional(),
  channelId: z.uuid().optional(),
  tag: z.string().max(64).optional(),
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const PresenceBody = z.object({ presence: z.enum(["online", "away", "offline"]) }).openapi("Presence");
