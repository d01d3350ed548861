import { z } from "@hono/zod-openapi";
import { isValidTimeZone } from "../assignment/business-hours.js";

/** Request schemas of the admin API: agents, teams, routing rules, channels and workspace settings. */
const text = (max: number) => z.string().trim().min(1).max(max);
const unique = <T>(key: (item: T) => string) => (items: T[]) => new Set(items.map(key)).size === items.length;
const nonEmpty = (body: object) => Object.keys(body).length > 0;
const atLeastOneField = { message: "Send at least one field to change" };

const TimeZone = z.string().min(1).max(64)
  .refine(isValidTimeZone, { message: "Not an IANA time zone (e.g. America/Mexico_City)" }).openapi({ example: "America/Bogota" });
const Role = z.enum(["admin", "supervisor", "agent"]);
const Locale = z.enum(["es-419", "en"]);
const Capacity = z.number().int().min(0).max(100).openapi({ description: "Most chats at once" });
const Skills = z.array(text(50)).max(50).refine(unique((s: string) => s.toLowerCase()), { message: "Skills repeat" });
const Password = z.string().min(8, { message: "Use at least 8 characters" }).max(200);
const TeamIds = z.array(z.uuid()).max(100).refine(unique((id: string) => id), { message: "Team ids repeat" });

export const AgentListQuery = z.object({
  active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
  teamId: z.uuid().optional(),
});

const agentFields = {
  email: z.email().max(254),
  name: text(100),
  role: Role,
  capacity: Capacity,
  skills: Skills,
  timeZone: TimeZone,
  locale: Locale,
  teamIds: TeamIds,
};

export const CreateAgentBody = z.object({
  ...agentFields,
  role: Role.default("agent"),
  password: Password.optional().openapi({ description: "Omit to create an agent who cannot sign in yet" }),
  capacity: Capacity.optional(), skills: Skills.optional(), timeZone: TimeZone.optional(), locale: Locale.optional(), teamIds: TeamIds.optional(),
}).openapi("CreateAgent");

export const UpdateAgentBody = z.object({ ...agentFields, active: z.boolean() }).partial()
  .refine(nonEmpty, atLeastOneField).openapi("UpdateAgent");

export const PasswordBody = z.object({ password: Password }).openapi("ResetPassword");

const HHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: "Use HH:MM (00:00 to 24:00)" });
const Range = z.tuple([HHMM, HHMM]).refine(([start, end]) => start < end, { message: "A range starts before it ends" });
const DayRanges = z.array(Range).max(8).refine((ranges) => {
  const sorted = [...ranges].sort((a, b) => a[0].localeCompare(b[0]));
  return sorted.every((r, i) => i === 0 || sorted[i - 1]![1] <= r[0]);
}, { message: "Ranges of a day overlap" });
const day = DayRanges.optional();
export const BusinessHours = z.strictObject({ 1: day, 2: day, 3: day, 4: day, 5: day, 6: day, 7: day })
  .openapi({ description: 'ISO weekday ("1" Monday … "7" Sunday) → [start, end) ranges, e.g. {"1": [["09:00", "18:00"]]}; null: always open' });
const Holidays = z.array(z.iso.date()).max(400).refine(unique((d: string) => d), { message: "Holidays repeat" });

const teamFields = {
  name: text(100),
  department: text(100).nullable(),
  timeZone: TimeZone,
  businessHours: BusinessHours.nullable(),
  holidays: Holidays,
  strategy: z.enum(["round_robin", "least_loaded", "manual"]),
  sticky: z.boolean(),
  agentsSeeAll: z.boolean(),
  isSales: z.boolean(),
  awayMessage: text(1000).nullable(),
  firstResponseTargetSeconds: z.number().int().min(1).max(7 * 24 * 3600).nullable(),
};

export const CreateTeamBody = z.object(teamFields).partial().required({ name: true }).openapi("CreateTeam");
export const UpdateTeamBody = z.object(teamFields).partial().refine(nonEmpty, atLeastOneField).openapi("UpdateTeam");

export const MembersBody = z.object({
  members: z.array(z.object({ agentId: z.uuid(), autoAssign: z.boolean().default(true) })).max(500)
    .refine(unique((m: { agentId: string }) => m.agentId), { message: "An agent appears twice" }),
}).openapi("TeamMembers", { description: "In round-robin order; autoAssign false for members who only watch the team" });

const ruleFields = {
  kind: z.enum(["keyword", "menu", "phone_prefix"]),
  pattern: text(200).openapi({ description: "keyword: words; menu: the option id; phone_prefix: digits only" }),
  teamId: z.uuid(),
  territory: text(100).nullable(),
  priority: z.number().int().min(0).max(10_000),
};
export const CreateRuleBody = z.object(ruleFields).partial({ territory: true, priority: true }).openapi("CreateRoutingRule");
export const UpdateRuleBody = z.object(ruleFields).partial().refine(nonEmpty, atLeastOneField).openapi("UpdateRoutingRule");

const channelCredentials = {
  /** Meta system-user token; stored sealed and never shown back. */
  accessToken: z.string().trim().min(20).max(1024),
  graphApiBaseUrl: z.url({ protocol: /^https?$/ }),
  graphApiVersion: z.string().regex(/^v\d{1,3}\.\d$/, { message: "A Graph API version such as v21.0" }),
  sendRatePerSecond: z.number().int().min(1).max(1000),
};
export const CreateChannelBody = z.object({
  name: text(100),
  phoneNumberId: z.string().regex(/^\d{1,32}$/, { message: "Meta's phone number id: digits" }),
  displayPhone: z.string().trim().regex(/^\+?[\d ()-]{4,32}$/, { message: "A phone number such as +52 81 5555 0000" }),
  ...channelCredentials,
}).partial(Object.fromEntries(Object.keys(channelCredentials).map((k) => [k, true])) as Record<keyof typeof channelCredentials, true>).openapi("CreateChannel");
export const UpdateChannelBody = z.object({ name: text(100), ...channelCredentials }).partial().refine(nonEmpty, atLeastOneField).openapi("UpdateChannel");

export const UpdateWorkspaceBody = z.object({
  name: text(100),
  reopenWindowSeconds: z.number().int().min(0).max(365 * 24 * 3600),
  firstResponseTargetSeconds: z.number().int().min(1).max(7 * 24 * 3600),
  defaultTeamId: z.uuid().nullable(),
}).partial().refine(nonEmpty, atLeastOneField).openapi("UpdateWorkspace");
