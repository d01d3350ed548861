/** Every refusal the domain can give, with the HTTP status the edge maps it to. */
export const errorStatus = {
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 400,
  already_assigned: 409,
  not_assignee: 409,
  agent_at_capacity: 409,
  agent_unavailable: 409,
  conversation_resolved: 409,
  conversation_not_resolved: 409,
  invalid_transition: 409,
  conflict: 409,
  reopen_window_expired: 409,
  window_closed: 409,
  template_not_approved: 409,
  rate_limited: 429,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class DomainError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
export const forbidden = (why: string) => new DomainError("forbidden", why);
