import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, errorStatus } from "../domain/errors.js";

/** The only place domain refusals become HTTP: status from the code, body `{ error: { code, message } }`. */
export function errorResponse(err: Error, c: Context, log?: (msg: string, fields?: Record<string, unknown>) => void) {
  if (err instanceof DomainError) {
    const status = errorStatus[err.code as keyof typeof errorStatus] as ContentfulStatusCode;
    return c.json({ error: { code: err.code, message: err.message, details: err.details } }, status);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthenticated" : "invalid_input";
    return c.json({ error: { code, message: err.message || "The request is not valid" } }, status as ContentfulStatusCode);
  }
  const pgCode = (err as { code?: string }).code ?? (err as { cause?: { code?: string } }).cause?.code;
  if (pgCode === "23505") return c.json({ error: { code: "conflict", message: "That already exists" } }, 409);
  if (pgCode === "22P02" || pgCode === "23503") return c.json({ error: { code: "invalid_input", message: "A referenced id is not valid" } }, 400);
  log?.("unhandled error", { error: String(err), stack: err.stack });
  return c.json({ error: { code: "internal", message: "Something went wrong on our side; nothing was changed" } }, 500);
}
