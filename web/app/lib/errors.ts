import type { Translate } from "./i18n";

/** The router's refusal body: `{ error: { code, message, details } }`. */
export type RouterErrorBody = { code: string; message: string; details?: Record<string, unknown> };

const named = (value: unknown): string | null => {
  const name = (value as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" && name ? name : null;
};

function invalidInputDetail(error: RouterErrorBody): string {
  const issues = error.details?.issues;
  if (Array.isArray(issues) && issues.length) {
    return issues.map((i: { path?: string; message?: string }) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  }
  return error.message;
}

/**
 * What the person at the screen reads for a router refusal, in their language. The router's own English
 * message is the last resort for a code this version does not know yet.
 */
export function describeError(error: RouterErrorBody, t: Translate, myAgentId?: string): string {
  const details = error.details ?? {};
  switch (error.code) {
    case "already_assigned": {
      const assignee = details.assignee as { id?: string } | undefined;
      if (assignee?.id && assignee.id === myAgentId) return t("errors.already_mine");
      return t("errors.already_assigned", { name: named(assignee) ?? "?" });
    }
    case "not_assignee": {
      const name = named(details.assignee);
      return name ? t("errors.not_assignee", { name }) : t("errors.not_assignee_nobody");
    }
    case "agent_at_capacity":
    case "agent_unavailable":
      return t(`errors.${error.code}`, { name: named(details.agent) ?? "?" });
    case "invalid_input":
      return t("errors.invalid_input", { detail: invalidInputDetail(error) });
    case "conversation_resolved": case "conversation_not_resolved": case "invalid_transition": case "window_closed":
    case "template_not_approved": case "forbidden": case "not_found": case "rate_limited": case "unauthenticated":
    case "invalid_credentials": case "reopen_window_expired": case "conflict": case "payload_too_large": case "internal":
    case "unavailable": case "csrf":
      return t(`errors.${error.code}`);
    default:
      return error.message || t("errors.internal");
  }
}
