import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Db } from "../db/index.js";
import type { Clock } from "../clock.js";
import type { Actor } from "../domain/actor.js";
import type { FollowUp } from "../domain/commands/run.js";
import type { LiveHub } from "../live/hub.js";
import type { InboundBatcher } from "../domain/inbound-batcher.js";

export type WhatsAppConfig = { appSecret: string; verifyToken: string };
export type AppDeps = {
  db: Db;
  clock: Clock;
  whatsapp: WhatsAppConfig;
  /** 64 hex chars; seals channel access tokens at rest. */
  secretKey: string;
  /** The background WhatsApp sender, nudged when a reply is queued. */
  dispatcher?: { nudge: () => void };
  /** Published events for the live browser streams of this process. */
  live?: LiveHub;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** The report scheduler's credential (REPORTS_SERVICE_TOKEN): opens /v1/reports/service/* only. Unset: those are closed. */
  reportsServiceToken?: string;
  /** Group commit of customer messages; one with the default sizes when unset. */
  inbound?: InboundBatcher;
};
export type AppEnv = { Variables: { actor: Actor; token: string } };

export const ErrorBody = z.object({
  error: z.object({
    code: z.string().openapi({ example: "already_assigned" }),
    message: z.string().openapi({ example: "Already taken by Ana" }),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
}).openapi("Error");

/** Validation failures become the same error body as domain refusals: code invalid_input, 400. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
      const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
      return c.json({ error: { code: "invalid_input", message, details: { issues } } }, 400);
    },
  });
}

export type FollowUpRunner = (followUps: FollowUp[]) => Promise<void>;
