import type { Clock } from "../../../clock.js";

/** Where webhooks go: a URL POSTed with fetch, or an in-process receiver (tests call the router's app directly). */
export type WebhookTarget = string | ((body: string, signature: string) => Promise<void>);
export type Random = () => number;

export const messageTypes = [
  "text", "template", "interactive", "image", "audio", "video", "document", "sticker", "location", "reaction",
] as const;
export type OutboundType = (typeof messageTypes)[number];

/** Each delay counts from the previous status, so the order sent → delivered → read can never invert. */
export type StatusDelays = { sent: number; delivered: number; read: number };

export type ForcedError = { status: number; code: number; message: string; details?: string; subcode?: number };

export type GraphFaults = {
  rate429?: number;
  rate500?: number;
  failNext?: ForcedError[];
  /** Recipients whose messages are accepted and then reported `failed` with 131026, as Meta does for unreachable numbers. */
  undeliverableTo?: string[];
};

export type GraphApiSimulatorOptions = {
  accessToken: string;
  appSecret: string;
  webhookUrl: WebhookTarget;
  clock?: Clock;
  statusDelaysMs?: StatusDelays;
  faults?: GraphFaults;
  random?: Random;
  enforceWindow?: boolean;
  /**
   * "response" (default) refuses out-of-window sends with a 400 131047; "status" accepts them and reports a
   * `failed` status with 131047, which is what the real Cloud API usually does.
   */
  windowErrors?: "response" | "status";
  /** false: statuses wait for flushStatuses()/deliverDueStatuses(), never for wall-clock timers. Default true. */
  statusTimers?: boolean;
  /** When given, other phone number ids get Meta's "object does not exist" error. */
  phoneNumberIds?: string[];
  displayPhoneNumber?: string;
  verifiedName?: string;
  wabaId?: string;
  /** Lets load runs wire agent messages back to simulated customers. */
  onSent?: (message: SentMessage) => void;
};

export type SentMessage = {
  phoneNumberId: string;
  to: string;
  type: OutboundType;
  /** The type's object, e.g. `{ body: "Hola" }` for text. */
  content: Record<string, unknown>;
  /** The whole request body as the caller sent it. */
  request: Record<string, unknown>;
  /** Readable text of the message (text body, interactive body, caption or template name), for reply heuristics. */
  text: string | null;
  wamid: string;
  at: Date;
};

export type RequestOutcome =
  | "ok" | "unauthorized" | "invalid" | "unknown_phone" | "outside_window" | "rate_limited" | "server_error" | "forced";
export const requestOutcomes: readonly RequestOutcome[] = [
  "ok", "unauthorized", "invalid", "unknown_phone", "outside_window", "rate_limited", "server_error", "forced",
];
