import { randomBytes, timingSafeEqual } from "node:crypto";

export const CSRF_FIELD = "csrf";

export function newCsrfToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison of the session's token with the one a form sent back. */
export function csrfMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * A request that changes something must come from our own pages: same origin when the browser says where it
 * comes from (every current browser sends Origin on POST), and the session's token in the form.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  if (origin === "null") return false;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
