import { signBody } from "../signature.js";
import type { WebhookTarget } from "./types.js";

export type WebhookMetadata = { display_phone_number: string; phone_number_id: string };

/** One change of field "messages" carrying either customer messages or statuses, as Meta batches them. */
export function webhookEnvelope(wabaId: string, metadata: WebhookMetadata, value: Record<string, unknown>) {
  return {
    object: "whatsapp_business_account" as const,
    entry: [{ id: wabaId, changes: [{ value: { messaging_product: "whatsapp", metadata, ...value }, field: "messages" }] }],
  };
}

/**
 * Serializes once and signs those exact bytes: re-serializing after signing is the classic way to
 * produce bodies that fail signature checks.
 */
export async function postWebhook(target: WebhookTarget, payload: unknown, appSecret: string): Promise<void> {
  const body = JSON.stringify(payload);
  const signature = signBody(body, appSecret);
  if (typeof target === "function") return target(body, signature);
  const res = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature, "user-agent": "facebookexternalua" },
    body,
  });
  // Drain the body so keep-alive sockets are reused during load runs.
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`webhook ${target} answered ${res.status}`);
}

export type WebhookStats = { delivered: number; failed: number; lastError: string | null };

/** Wraps delivery so timer-driven posts never reject; failures are counted for tests and load reports. */
export function countingPoster(target: WebhookTarget, appSecret: string, stats: WebhookStats) {
  return async (payload: unknown): Promise<void> => {
    try {
      await postWebhook(target, payload, appSecret);
      stats.delivered++;
    } catch (err) {
      stats.failed++;
      stats.lastError = err instanceof Error ? err.message : String(err);
    }
  };
}
