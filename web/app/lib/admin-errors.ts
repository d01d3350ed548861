import type { HoursProblem } from "./admin-hours";
import { describeError, type RouterErrorBody } from "./errors";
import { translator, type Locale, type MessageKey } from "./i18n";

/** What an admin form shows after a refusal: one line in the person's language and the fields to mark. */
export type AdminRefusal = { error: string; fields: string[] };
/** Every admin action answers this: which intent it was, and on a refusal the sentence and the fields to mark. */
export type AdminResult = ({ ok: true } | ({ ok: false } & AdminRefusal)) & { intent: string };

/** The router names a few fields differently from the forms, which type durations in friendlier units. */
const formFieldOf: Record<string, string> = {
  firstResponseTargetSeconds: "firstResponseMinutes",
  reopenWindowSeconds: "reopenWindowDays",
  pendingExpirySeconds: "pendingExpiryHours",
  idleTimeoutSeconds: "idleTimeoutMinutes",
  agentsSeeAll: "visibility",
  members: "members",
};

export const fieldLabelKey = (field: string) => `admin.field.${field}` as MessageKey;

function fieldLabel(field: string, locale: Locale): string {
  const t = translator(locale);
  const label = t(fieldLabelKey(field));
  return label === fieldLabelKey(field) ? field : label;
}

/** "Revisa: Correo, Capacidad" — the fields named in the person's language. */
export function invalidFields(fields: string[], locale: Locale, hours?: HoursProblem): AdminRefusal {
  const t = translator(locale);
  if (hours) return { error: t(`admin.hours.${hours.problem}`, { day: t(`admin.weekday.${hours.day}`) }), fields };
  return { error: t("admin.errors.invalidFields", { fields: fields.map((f) => fieldLabel(f, locale)).join(", ") }), fields };
}

function routerFields(body: RouterErrorBody): string[] {
  const issues = body.details?.issues;
  if (!Array.isArray(issues)) return [];
  const tops = issues.map((i: { path?: string }) => String(i.path ?? "").split(".")[0] ?? "").filter(Boolean);
  return [...new Set(tops.map((f) => formFieldOf[f] ?? f))];
}

export type RefusalContext = { locale: Locale; myAgentId: string; targetId?: string; conflict?: MessageKey };

/**
 * A router 4xx as the admin reads it. The code decides the sentence; the router's English message is used
 * only by the generic fallback for a code this version does not know.
 */
export function describeAdminError(body: RouterErrorBody, ctx: RefusalContext): AdminRefusal {
  const t = translator(ctx.locale);
  const field = typeof body.details?.field === "string" ? body.details.field : null;
  switch (body.code) {
    case "invalid_input": {
      const fields = routerFields(body);
      return fields.length ? invalidFields(fields, ctx.locale) : { error: t("admin.errors.invalid"), fields: [] };
    }
    case "conflict":
      if (field) return { error: t(`admin.errors.conflict.${field}` as MessageKey), fields: [field] };
      if (ctx.targetId && ctx.targetId === ctx.myAgentId) return { error: t("admin.errors.self"), fields: [] };
      return { error: t(ctx.conflict ?? "admin.errors.conflict"), fields: [] };
    case "forbidden":
      return { error: t("admin.errors.forbidden"), fields: [] };
    case "not_found":
      return { error: t("admin.errors.notFound"), fields: [] };
    default:
      return { error: describeError(body, t, ctx.myAgentId), fields: [] };
  }
}
