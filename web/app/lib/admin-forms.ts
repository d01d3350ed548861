import { z } from "zod";
import type { HoursProblem } from "./admin-hours";
import type { AgentBody, ChannelBody, RuleBody, TemplateBody } from "./router-types";

/**
 * The admin forms as typed intents. The browser checks first (required, min, max), this checks again on the
 * web server and names the fields that are wrong; the router validates once more and has the last word.
 */
export type Parsed<T> = { ok: true; data: T } | { ok: false; fields: string[]; hours?: HoursProblem };

const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.preprocess(blank, text(max).optional());
const nullableText = (max: number) => z.preprocess(blank, text(max).optional()).transform((v) => v ?? null);
const int = (min: number, max: number) => z.preprocess(blank, z.coerce.number().int().min(min).max(max));
/** A ticked checkbox posts its value (whatever it is); an unticked one posts nothing. */
const checkbox = z.preprocess((v) => typeof v === "string" && v !== "false", z.boolean());
const id = z.uuid();
const commaList = z.preprocess((v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(z.string().max(50)).max(50));

/** Single fields as strings, the listed ones as arrays (checkbox groups and repeated inputs). */
export function formObject(form: FormData, lists: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (key !== "csrf" && typeof value === "string" && !lists.includes(key)) out[key] = value;
  for (const key of lists) out[key] = form.getAll(key).map(String);
  return out;
}

export function parseWith<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, fields: [...new Set(result.error.issues.map((i) => String(i.path[0] ?? "form")))] };
}

/* ── Agents ── */
const agentFields = {
  name: text(100),
  email: z.preprocess((v) => (typeof v === "string" ? v.trim() : v), z.email().max(254)),
  role: z.enum(["admin", "supervisor", "agent"]),
  capacity: int(0, 100),
  skills: commaList,
  teamIds: z.array(id).max(100),
  timeZone: text(64),
  locale: z.enum(["es-419", "en"]),
};
const Password = z.string().min(8).max(200);

export const AgentIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), ...agentFields, password: z.preprocess(blank, Password.optional()) }),
  z.object({ intent: z.literal("update"), id, ...agentFields, active: checkbox }),
  z.object({ intent: z.literal("password"), id, password: Password }),
]);
export type AgentIntent = z.infer<typeof AgentIntent>;
export const parseAgentForm = (form: FormData) => parseWith(AgentIntent, formObject(form, ["teamIds"]));

export function agentBody(input: Exclude<AgentIntent, { intent: "password" }>): AgentBody {
  const { intent: _intent, ...fields } = input as typeof input & { id?: string };
  delete fields.id;
  return fields;
}

/* ── Routing rules ── */
const ruleFields = {
  kind: z.enum(["keyword", "menu", "phone_prefix"]),
  pattern: text(200),
  teamId: id,
  territory: nullableText(100),
  priority: int(0, 10_000),
};
export const RuleIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), ...ruleFields }),
  z.object({ intent: z.literal("update"), id, ...ruleFields }),
  z.object({ intent: z.literal("delete"), id }),
]);
export type RuleIntent = z.infer<typeof RuleIntent>;
export const parseRuleForm = (form: FormData) => parseWith(RuleIntent, formObject(form));
export const ruleBody = ({ kind, pattern, teamId, territory, priority }: z.infer<z.ZodObject<typeof ruleFields>>): RuleBody =>
  ({ kind, pattern, teamId, territory, priority });

/* ── Templates (also the canned replies agents insert with "/") ── */
const templateFields = {
  name: z.string().trim().regex(/^[a-z0-9_]{1,512}$/),
  language: z.string().trim().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/),
  category: z.enum(["utility", "marketing", "authentication"]),
  body: text(1024),
  status: z.enum(["approved", "pending", "rejected", "paused"]),
};
export const TemplateIntent = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), ...templateFields }),
  z.object({ intent: z.literal("update"), id, ...templateFields }),
  z.object({ intent: z.literal("delete"), id }),
]);
export type TemplateIntent = z.infer<typeof TemplateIntent>;
export const parseTemplateForm = (form: FormData) => parseWith(TemplateIntent, formObject(form));
export const templateBody = ({ name, language, category, body, status }: z.infer<z.ZodObject<typeof templateFields>>): TemplateBody =>
  ({ name, language, category, body, status });

/* ── WhatsApp numbers: the access token is write-only ── */
const channelSettings = {
  name: text(100),
  graphApiBaseUrl: z.preprocess(blank, z.url({ protocol: /^https?$/ }).optional()),
  graphApiVersion: z.preprocess(blank, z.string().trim().regex(/^v\d{1,3}\.\d$/).optional()),
  sendRatePerSecond: z.preprocess(blank, z.coerce.number().int().min(1).max(1000).optional()),
};
const AccessToken = z.string().trim().min(20).max(1024);
export const ChannelIntent = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("create"), ...channelSettings,
    phoneNumberId: z.string().trim().regex(/^\d{1,32}$/),
    displayPhone: z.string().trim().regex(/^\+?[\d ()-]{4,32}$/),
    accessToken: z.preprocess(blank, AccessToken.optional()),
  }),
  z.object({ intent: z.literal("update"), id, ...channelSettings }),
  z.object({ intent: z.literal("rotate"), id, accessToken: AccessToken }),
]);
export type ChannelIntent = z.infer<typeof ChannelIntent>;
export const parseChannelForm = (form: FormData) => parseWith(ChannelIntent, formObject(form));
export function channelBody(input: Exclude<ChannelIntent, { intent: "rotate" }>): ChannelBody {
  const { intent: _intent, ...fields } = input as typeof input & { id?: string };
  delete fields.id;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
