import type { GraphCore } from "./core.js";
import { metaErrors, type MetaErrorResponse } from "./errors.js";
import type { RequestOutcome } from "./types.js";
import { validateSend } from "./validate.js";

export type SendRequest = { phoneNumberId: string; authorization: string | undefined; queryToken: string | undefined; rawBody: string };
export type SendResponse = { status: number; body: unknown };

function refuse(core: GraphCore, outcome: RequestOutcome, response: MetaErrorResponse): SendResponse {
  core.count(outcome);
  return response;
}

function parseJson(raw: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

/**
 * POST /{version}/{phone-number-id}/messages. Order of checks: auth, unknown number, injected faults
 * (throughput limits hit before Meta looks at the payload), payload, 24 h window.
 */
export function handleSend(core: GraphCore, req: SendRequest): SendResponse {
  if (!core.authorized(req.authorization, req.queryToken)) return refuse(core, "unauthorized", metaErrors.unauthorized(core.trace()));
  if (!core.knowsPhone(req.phoneNumberId)) return refuse(core, "unknown_phone", metaErrors.unknownObject(core.trace(), req.phoneNumberId));
  const fault = core.nextFault();
  if (fault) return refuse(core, fault.outcome, fault.response);
  const json = parseJson(req.rawBody);
  if (!json.ok) return refuse(core, "invalid", metaErrors.invalidParameter(core.trace(), "The request body is not valid JSON."));
  const valid = validateSend(json.value);
  if (!valid.ok) return refuse(core, "invalid", metaErrors.invalidParameter(core.trace(), valid.details));
  const outsideWindow = core.violatesWindow(valid.value);
  if (outsideWindow && (core.opts.windowErrors ?? "response") === "response") {
    return refuse(core, "outside_window", metaErrors.outsideWindow(core.trace()));
  }
  const msg = core.accept(req.phoneNumberId, valid.value, outsideWindow);
  core.count("ok");
  return {
    status: 200,
    body: {
      messaging_product: "whatsapp",
      contacts: [{ input: valid.value.to, wa_id: valid.value.waId }],
      // Meta adds message_status only for templates.
      messages: [{ id: msg.wamid, ...(msg.type === "template" && { message_status: "accepted" }) }],
    },
  };
}
