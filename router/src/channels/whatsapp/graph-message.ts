import type { messages } from "../../db/schema/index.js";

type Message = Pick<typeof messages.$inferSelect, "kind" | "body" | "payload">;

/** The Graph API request for a queued outbound message: plain text, or the stored template/interactive body. */
export function graphRequestFor(message: Message, to: string): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to };
  if (message.payload) return { ...base, ...message.payload };
  return { ...base, type: "text", text: { body: message.body ?? "", preview_url: false } };
}

/** Meta's template object with body parameters in order, as text. */
export function templatePayload(name: string, language: string, parameters: string[]): Record<string, unknown> {
  const components = parameters.length
    ? [{ type: "body", parameters: parameters.map((text) => ({ type: "text", text })) }]
    : [];
  return { type: "template", template: { name, language: { code: language }, components } };
}

/** Fills {{1}}, {{2}}… so the inbox shows the customer the exact text that was sent. */
export function renderTemplate(body: string, parameters: string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
}

export function placeholderCount(body: string): number {
  const numbers = [...body.matchAll(/\{\{(\d+)\}\}/g)].map((m) => Number(m[1]));
  return numbers.length ? Math.max(...numbers) : 0;
}
