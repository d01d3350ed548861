import { z } from "zod";
import { formObject, parseWith, type Parsed } from "./admin-forms";
import { parseBusinessHours } from "./admin-hours";
import type { EscalationStep, TeamBody, WorkspaceAutomation, WorkspaceBody } from "./router-types";

/** Team, workspace and SLA forms: durations are typed in minutes, hours or days and sent in seconds. */
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = (max: number) => z.string().trim().min(1).max(max);
const nullableText = (max: number) => z.preprocess(blank, text(max).optional()).transform((v) => v ?? null);
const number = (min: number, max: number) => z.preprocess(blank, z.coerce.number().int().min(min).max(max));
/** A ticked checkbox posts its value (whatever it is); an unticked one posts nothing. */
const checkbox = z.preprocess((v) => typeof v === "string" && v !== "false", z.boolean());
const strategy = z.enum(["round_robin", "least_loaded", "manual"]);
const MINUTE = 60;
const HOUR = 3600;
const DAY = 24 * HOUR;

/* ── Teams ── */
export const CreateTeamForm = z.object({ intent: z.literal("create"), name: text(100), timeZone: text(64), strategy });

const TeamSettingsForm = z.object({
  name: text(100),
  department: nullableText(100),
  timeZone: text(64),
  strategy,
  sticky: checkbox,
  visibility: z.enum(["team", "all"]),
  isSales: checkbox,
  awayMessage: nullableText(1000),
  firstResponseMinutes: z.preprocess(blank, z.coerce.number().int().min(1).max(7 * 24 * 60).optional()),
  alwaysOpen: checkbox,
  holidays: z.array(z.iso.date()).max(400),
});

/** The team page's settings form, business hours and holidays included, as the router's patch body. */
export function parseTeamSettings(form: FormData): Parsed<TeamBody> {
  const parsed = parseWith(TeamSettingsForm, formObject(form, ["holidays"]));
  if (!parsed.ok) return parsed;
  const { visibility, firstResponseMinutes, alwaysOpen, holidays, ...rest } = parsed.data;
  let businessHours: TeamBody["businessHours"] = null;
  if (!alwaysOpen) {
    const hours = parseBusinessHours(form);
    if (!hours.ok) return { ok: false, fields: ["businessHours"], hours: hours.problem };
    businessHours = hours.hours;
  }
  return {
    ok: true,
    data: {
      ...rest, businessHours, agentsSeeAll: visibility === "all", holidays: [...new Set(holidays)].sort(),
      firstResponseTargetSeconds: firstResponseMinutes === undefined ? null : firstResponseMinutes * MINUTE,
    },
  };
}

export type Members = Array<{ agentId: string; autoAssign: boolean }>;
/** `member` repeated in rotation order; `autoAssign` lists the members who receive chats automatically. */
export function parseMembers(form: FormData): Parsed<Members> {
  const ids = form.getAll("member").map(String);
  const auto = new Set(form.getAll("autoAssign").map(String));
  const parsed = parseWith(z.array(z.uuid()).max(500), ids);
  if (!parsed.ok) return { ok: false, fields: ["members"] };
  return { ok: true, data: [...new Set(parsed.data)].map((agentId) => ({ agentId, autoAssign: auto.has(agentId) })) };
}

/* ── Workspace ── */
const WorkspaceForm = z.object({
  name: text(100),
  reopenWindowDays: number(0, 365),
  firstResponseMinutes: number(1, 7 * 24 * 60),
  defaultTeamId: z.preprocess(blank, z.uuid().optional()),
});
export function parseWorkspace(form: FormData): Parsed<WorkspaceBody> {
  const parsed = parseWith(WorkspaceForm, formObject(form));
  if (!parsed.ok) return parsed;
  const { name, reopenWindowDays, firstResponseMinutes, defaultTeamId } = parsed.data;
  return { ok: true, data: { name, reopenWindowSeconds: reopenWindowDays * DAY, firstResponseTargetSeconds: firstResponseMinutes * MINUTE, defaultTeamId: defaultTeamId ?? null } };
}

const AutomationForm = z.object({
  csatEnabled: checkbox,
  pendingExpiryHours: number(1, 90 * 24),
  idleTimeoutMinutes: number(1, 24 * 60),
  disconnectTimeoutSeconds: number(30, DAY),
  reassignGraceSeconds: number(0, DAY),
  stepAfterMinutes: z.array(z.coerce.number().int().min(1).max(7 * 24 * 60)).max(10),
  stepAction: z.array(z.enum(["alert", "reassign", "supervisor"])).max(10),
});

/** The form with its escalation rows (`stepAfterMinutes`, `stepAction`) as lists, blank rows dropped. */
function withSteps(form: FormData): Record<string, unknown> {
  const raw = formObject(form, ["stepAfterMinutes", "stepAction"]);
  const after = raw.stepAfterMinutes as string[];
  const keep = after.map((v) => v.trim() !== "");
  raw.stepAfterMinutes = after.filter((_, i) => keep[i]);
  raw.stepAction = (raw.stepAction as string[]).filter((_, i) => keep[i]);
  return raw;
}

/** SLA escalation ladder rows (minutes, action) as the router's steps; they must go in increasing time. */
function toSteps(minutes: number[], actions: Array<EscalationStep["action"]>): EscalationStep[] | null {
  const steps = minutes.map((m, i) => ({ afterSeconds: m * MINUTE, action: actions[i] ?? "alert" }));
  return steps.some((s, i) => i > 0 && steps[i - 1]!.afterSeconds >= s.afterSeconds) ? null : steps;
}

export function parseAutomation(form: FormData): Parsed<Partial<WorkspaceAutomation>> {
  const parsed = parseWith(AutomationForm, withSteps(form));
  if (!parsed.ok) return parsed;
  const { pendingExpiryHours, idleTimeoutMinutes, stepAfterMinutes, stepAction, ...rest } = parsed.data;
  const steps = toSteps(stepAfterMinutes, stepAction);
  if (!steps) return { ok: false, fields: ["escalationSteps"] };
  return {
    ok: true,
    data: { ...rest, pendingExpirySeconds: pendingExpiryHours * HOUR, idleTimeoutSeconds: idleTimeoutMinutes * MINUTE, escalationSteps: steps },
  };
}

const TeamAutomationForm = z.object({
  csat: z.enum(["inherit", "on", "off"]),
  customSteps: checkbox,
  stepAfterMinutes: AutomationForm.shape.stepAfterMinutes,
  stepAction: AutomationForm.shape.stepAction,
});
export type TeamAutomationBody = { csatEnabled: boolean | null; escalationSteps: EscalationStep[] | null };

/** A team's overrides: CSAT on, off or as the workspace; its own escalation ladder or the workspace's. */
export function parseTeamAutomation(form: FormData): Parsed<TeamAutomationBody> {
  const parsed = parseWith(TeamAutomationForm, withSteps(form));
  if (!parsed.ok) return parsed;
  const { csat, customSteps, stepAfterMinutes, stepAction } = parsed.data;
  const steps = customSteps ? toSteps(stepAfterMinutes, stepAction) : null;
  if (customSteps && !steps) return { ok: false, fields: ["escalationSteps"] };
  return { ok: true, data: { csatEnabled: csat === "inherit" ? null : csat === "on", escalationSteps: steps } };
}

/* ── The forms of the team pages, by intent ── */
export type TeamIntent =
  | { intent: "create"; name: string; timeZone: string; strategy: z.infer<typeof strategy> }
  | { intent: "settings"; body: TeamBody }
  | { intent: "members"; members: Members }
  | { intent: "automation"; body: TeamAutomationBody };

export function parseTeamForm(form: FormData): Parsed<TeamIntent> {
  switch (form.get("intent")) {
    case "create": return parseWith(CreateTeamForm, formObject(form));
    case "settings": {
      const parsed = parseTeamSettings(form);
      return parsed.ok ? { ok: true, data: { intent: "settings", body: parsed.data } } : parsed;
    }
    case "members": {
      const parsed = parseMembers(form);
      return parsed.ok ? { ok: true, data: { intent: "members", members: parsed.data } } : parsed;
    }
    case "automation": {
      const parsed = parseTeamAutomation(form);
      return parsed.ok ? { ok: true, data: { intent: "automation", body: parsed.data } } : parsed;
    }
    default: return { ok: false, fields: ["intent"] };
  }
}

export type WorkspaceIntent = { intent: "workspace"; body: WorkspaceBody } | { intent: "automation"; body: Partial<WorkspaceAutomation> };

export function parseWorkspaceForm(form: FormData): Parsed<WorkspaceIntent> {
  const intent = form.get("intent");
  if (intent !== "workspace" && intent !== "automation") return { ok: false, fields: ["intent"] };
  const parsed = intent === "workspace" ? parseWorkspace(form) : parseAutomation(form);
  return parsed.ok ? { ok: true, data: { intent, body: parsed.data } as WorkspaceIntent } : parsed;
}
