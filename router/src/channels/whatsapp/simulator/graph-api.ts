import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DEFAULT_DISPLAY_PHONE, GraphCore, type LiveFaults } from "./core.js";
import { metaErrors } from "./errors.js";
import { handleSend } from "./send.js";
import type { GraphApiSimulatorOptions, RequestOutcome, SentMessage } from "./types.js";
import type { WebhookStats } from "./webhook.js";

export type GraphState = {
  /** Accepted messages, oldest first (cleared in place by reset, so references stay live). */
  readonly sent: SentMessage[];
  readonly requests: Readonly<Record<RequestOutcome, number>>;
  readonly webhooks: Readonly<WebhookStats>;
  /** Live and mutable: load runs may change rates or queue forced errors mid-run. */
  readonly faults: LiveFaults;
  customerWrote(phone: string, at?: Date): void;
  windowOpen(phone: string, at?: Date): boolean;
  /** Delivers every pending status now, in order, awaiting each POST; resolves with how many were delivered. */
  flushStatuses(): Promise<number>;
  /** Delivers statuses whose due time the clock has reached (for manual clocks). */
  deliverDueStatuses(): Promise<number>;
  pendingStatuses(): number;
  reset(): void;
};

export type GraphApiSimulator = { app: Hono; state: GraphState; close(): Promise<void> };

// Meta shows US test numbers as "+1 555-078-3881"; other countries are left as plain E.164.
function formatDisplay(digits: string): string {
  const us = /^1(\d{3})(\d{3})(\d{4})$/.exec(digits);
  return us ? `+1 ${us[1]}-${us[2]}-${us[3]}` : `+${digits}`;
}

function stateOf(core: GraphCore): GraphState {
  return {
    sent: core.sent, requests: core.requests, webhooks: core.webhooks, faults: core.faults,
    customerWrote: (phone, at) => core.customerWrote(phone, at),
    windowOpen: (phone, at) => core.windowOpen(phone, at),
    flushStatuses: () => core.queue.flush(),
    deliverDueStatuses: () => core.queue.deliverDue(),
    pendingStatuses: () => core.queue.size(),
    reset: () => core.reset(),
  };
}

/** A fake Graph API for the Cloud API's messaging endpoints, speaking Meta's request, error and webhook formats. */
export function createGraphApiSimulator(opts: GraphApiSimulatorOptions): GraphApiSimulator {
  const core = new GraphCore(opts);
  const app = new Hono();
  const version = ":version{v\\d+\\.\\d+}";
  app.post(`/${version}/:phoneNumberId/messages`, async (c) => {
    const res = handleSend(core, {
      phoneNumberId: c.req.param("phoneNumberId"), authorization: c.req.header("authorization"),
      queryToken: c.req.query("access_token"), rawBody: await c.req.text(),
    });
    return c.json(res.body, res.status as ContentfulStatusCode);
  });
  app.get(`/${version}/:phoneNumberId`, (c) => {
    const id = c.req.param("phoneNumberId");
    if (!core.authorized(c.req.header("authorization"), c.req.query("access_token"))) return jsonError(c, metaErrors.unauthorized(core.trace()));
    if (!core.knowsPhone(id)) return jsonError(c, metaErrors.unknownObject(core.trace(), id));
    return c.json({
      verified_name: opts.verifiedName ?? "Centralita Demo", code_verification_status: "VERIFIED",
      display_phone_number: formatDisplay(opts.displayPhoneNumber ?? DEFAULT_DISPLAY_PHONE),
      quality_rating: "GREEN", platform_type: "CLOUD_API", throughput: { level: "STANDARD" }, id,
    });
  });
  app.notFound((c) => jsonError(c, metaErrors.unknownPath(core.trace(), c.req.path)));
  const close = async () => {
    core.queue.clear();
    await core.queue.idle();
  };
  return { app, state: stateOf(core), close };
}

function jsonError(c: { json: (b: unknown, s: ContentfulStatusCode) => Response }, err: { status: number; body: unknown }): Response {
  return c.json(err.body, err.status as ContentfulStatusCode);
}
