import { Hono } from "hono";
import { ZodError } from "zod";
import type { AppDeps } from "../context.js";
import { verifySignature } from "../../channels/whatsapp/signature.js";
import { limitBody } from "../body-limit.js";
import { parseWebhook } from "../../channels/whatsapp/payload.js";
import { InboundBatcher } from "../../domain/inbound-batcher.js";
import { receiveStatus } from "../../channels/whatsapp/statuses.js";
import { DomainError } from "../../domain/errors.js";

const invalid = (message: string) => ({ error: { code: "invalid_input", message } });

/**
 * WhatsApp Cloud API webhooks. The signature is checked on the raw bytes before anything is parsed; a
 * malformed body is refused whole (400) before any message is stored. Retries are harmless: a message id
 * is stored once. A message for an unknown number is acknowledged and logged so Meta stops retrying it.
 */
export function webhookRoutes(deps: AppDeps) {
  const app = new Hono();
  const inbound = deps.inbound ?? new InboundBatcher(deps);
  app.get("/webhooks/whatsapp", (c) => {
    const mode = c.req.query("hub.mode");
    const token = c.req.query("hub.verify_token");
    const challenge = c.req.query("hub.challenge") ?? "";
    if (mode === "subscribe" && token === deps.whatsapp.verifyToken && /^[\w-]{1,200}$/.test(challenge)) return c.text(challenge, 200);
    return c.json({ error: { code: "forbidden", message: "Verification token mismatch" } }, 403);
  });
  app.post("/webhooks/whatsapp", limitBody(3 * 1024 * 1024), async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!verifySignature(raw, c.req.header("x-hub-signature-256"), deps.whatsapp.appSecret)) {
      return c.json({ error: { code: "invalid_signature", message: "X-Hub-Signature-256 is missing or does not match" } }, 401);
    }
    let parsed;
    try {
      parsed = parseWebhook(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)));
    } catch (error) {
      const reason = error instanceof ZodError ? error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : "body is not valid JSON";
      return c.json(invalid(`Malformed webhook: ${reason}`), 400);
    }
    // All at once: the batcher keeps one customer's messages in order and stores different customers together.
    const outcomes = await Promise.allSettled(parsed.messages.map((message) => inbound.receive(message)));
    let stored = 0;
    outcomes.forEach((outcome, i) => {
      if (outcome.status === "fulfilled") {
        if (!outcome.value.duplicate) stored++;
      } else if (outcome.reason instanceof DomainError && outcome.reason.code === "not_found") {
        deps.log?.("webhook for an unknown phone number id", { phoneNumberId: parsed.messages[i]!.phoneNumberId });
      } else {
        throw outcome.reason; // 500: Meta retries the webhook, and what was stored comes back as duplicates
      }
    });
    let statuses = 0;
    for (const status of parsed.statuses) {
      const outcome = await receiveStatus(deps, status);
      if (outcome === "applied" || outcome === "early") statuses++;
    }
    return c.json({ ok: true, stored, duplicates: parsed.messages.length - stored, statuses }, 200);
  });
  return app;
}
