import type { ForcedError } from "./types.js";

/** Graph API error body, as Meta documents it for the Cloud API. */
export type MetaErrorBody = {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: "whatsapp"; details: string };
    fbtrace_id: string;
  };
};
export type MetaErrorResponse = { status: number; body: MetaErrorBody };

function metaError(status: number, trace: string, code: number, message: string, details?: string, subcode?: number): MetaErrorResponse {
  return {
    status,
    body: {
      error: {
        message, type: "OAuthException", code,
        ...(subcode === undefined ? {} : { error_subcode: subcode }),
        ...(details === undefined ? {} : { error_data: { messaging_product: "whatsapp" as const, details } }),
        fbtrace_id: trace,
      },
    },
  };
}

export const WINDOW_DETAILS = "Message failed to send because more than 24 hours have passed since the customer last replied to this number.";

export const metaErrors = {
  unauthorized: (trace: string) => metaError(401, trace, 190, "Invalid OAuth access token - Cannot parse access token"),
  invalidParameter: (trace: string, details: string) => metaError(400, trace, 100, "(#100) Invalid parameter", details),
  unknownObject: (trace: string, id: string) => metaError(400, trace, 100,
    `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    undefined, 33),
  outsideWindow: (trace: string) => metaError(400, trace, 131047, "(#131047) Re-engagement message", WINDOW_DETAILS),
  rateLimited: (trace: string) => metaError(429, trace, 130429, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
  serverError: (trace: string) => metaError(500, trace, 131000, "(#131000) Something went wrong", "Something went wrong."),
  unknownPath: (trace: string, path: string) => metaError(400, trace, 2500, `Unknown path components: ${path}`),
  forced: (trace: string, f: ForcedError) => metaError(f.status, trace, f.code, f.message, f.details ?? f.message, f.subcode),
};

/** Errors carried inside a `failed` status webhook (a different shape from the synchronous error body). */
const href = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";
export const statusErrors = {
  undeliverable: { code: 131026, title: "Message undeliverable", message: "Message undeliverable", error_data: { details: "Message Undeliverable." }, href },
  outsideWindow: { code: 131047, title: "Re-engagement message", message: "Re-engagement message", error_data: { details: WINDOW_DETAILS }, href },
};
export type StatusError = (typeof statusErrors)[keyof typeof statusErrors];
