import { webhookEnvelope } from "../../src/channels/whatsapp/simulator/webhook.js";

let counter = 0;

export const PHONE_NUMBER_ID = "106540352242922";

/** A webhook in Meta's documented shape carrying one or more customer messages. */
export function inboundWebhook(messages: Array<{ from: string; name?: string; text?: string; id?: string; type?: string; extra?: Record<string, unknown> }>, phoneNumberId = PHONE_NUMBER_ID) {
  return webhookEnvelope("102290129340398", { display_phone_number: "15550783881", phone_number_id: phoneNumberId }, {
    contacts: messages.map((m) => ({ profile: { name: m.name ?? "Cliente" }, wa_id: m.from })),
    messages: messages.map((m) => ({
      from: m.from,
      id: m.id ?? `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA${++counter}`,
      timestamp: "1750090702",
      type: m.type ?? "text",
      ...(m.type && m.type !== "text" ? {} : { text: { body: m.text ?? "Hola" } }),
      ...(m.extra ?? {}),
    })),
  });
}

/** A customer picking an option of a bot's interactive list. */
export function menuReply(from: string, optionId: string, title: string) {
  return inboundWebhook([{ from, type: "interactive", extra: { interactive: { type: "list_reply", list_reply: { id: optionId, title } } } }]);
}
