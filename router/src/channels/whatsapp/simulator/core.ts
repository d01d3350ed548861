import { systemClock, type Clock } from "../../../clock.js";
import { metaErrors, type MetaErrorResponse } from "./errors.js";
import { fbtraceId, wamid } from "./random.js";
import { Conversations, planStatuses, type Failure } from "./statuses.js";
import { StatusQueue } from "./status-queue.js";
import {
  requestOutcomes, type ForcedError, type GraphApiSimulatorOptions, type Random, type RequestOutcome, type SentMessage, type StatusDelays,
} from "./types.js";
import type { ValidSend } from "./validate.js";
import { countingPoster, webhookEnvelope, type WebhookStats } from "./webhook.js";

const WINDOW_MS = 24 * 60 * 60 * 1000;
// Roughly what Meta shows on a healthy number; tests pass their own or flush.
const defaultDelays: StatusDelays = { sent: 100, delivered: 400, read: 2000 };
export const DEFAULT_DISPLAY_PHONE = "15550783881";
export const DEFAULT_WABA_ID = "102290129340398";

export type LiveFaults = { rate429: number; rate500: number; failNext: ForcedError[]; undeliverableTo: string[] };
export type FaultHit = { outcome: RequestOutcome; response: MetaErrorResponse };

function initialFaults(opts: GraphApiSimulatorOptions): LiveFaults {
  const f = opts.faults ?? {};
  return { rate429: f.rate429 ?? 0, rate500: f.rate500 ?? 0, failNext: [...(f.failNext ?? [])], undeliverableTo: [...(f.undeliverableTo ?? [])] };
}

/** The simulator's memory and decisions; the HTTP layer (send.ts, graph-api.ts) only translates. */
export class GraphCore {
  readonly clock: Clock;
  readonly random: Random;
  readonly sent: SentMessage[] = [];
  readonly requests = Object.fromEntries(requestOutcomes.map((o) => [o, 0])) as Record<RequestOutcome, number>;
  readonly webhooks: WebhookStats = { delivered: 0, failed: 0, lastError: null };
  readonly faults: LiveFaults;
  readonly queue: StatusQueue;
  private readonly windows = new Map<string, number>();
  private readonly conversations: Conversations;
  private seq = 0;

  constructor(readonly opts: GraphApiSimulatorOptions) {
    this.clock = opts.clock ?? systemClock;
    this.random = opts.random ?? Math.random;
    this.faults = initialFaults(opts);
    this.conversations = new Conversations(this.random);
    const post = countingPoster(opts.webhookUrl, opts.appSecret, this.webhooks);
    this.queue = new StatusQueue(post, this.clock, opts.statusTimers ?? true);
  }

  count(outcome: RequestOutcome): void {
    this.requests[outcome]++;
  }

  trace(): string {
    return fbtraceId(this.random);
  }

  authorized(header: string | undefined, queryToken: string | undefined): boolean {
    const bearer = /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim();
    return (bearer ?? queryToken) === this.opts.accessToken;
  }

  knowsPhone(phoneNumberId: string): boolean {
    return !this.opts.phoneNumberIds || this.opts.phoneNumberIds.includes(phoneNumberId);
  }

  /** Forced errors first (deterministic tests), then random throughput faults; no random draw when rates are 0. */
  nextFault(): FaultHit | null {
    const forced = this.faults.failNext.shift();
    if (forced) return { outcome: "forced", response: metaErrors.forced(this.trace(), forced) };
    const { rate429, rate500 } = this.faults;
    if (rate429 <= 0 && rate500 <= 0) return null;
    const r = this.random();
    if (r < rate429) return { outcome: "rate_limited", response: metaErrors.rateLimited(this.trace()) };
    if (r < rate429 + rate500) return { outcome: "server_error", response: metaErrors.serverError(this.trace()) };
    return null;
  }

  customerWrote(phone: string, at: Date = this.clock.now()): void {
    const key = phone.replace(/^\+/, "");
    this.windows.set(key, Math.max(this.windows.get(key) ?? 0, at.getTime()));
  }

  windowOpen(phone: string, at: Date = this.clock.now()): boolean {
    const last = this.windows.get(phone.replace(/^\+/, ""));
    return last !== undefined && at.getTime() - last < WINDOW_MS;
  }

  violatesWindow(send: ValidSend): boolean {
    return (this.opts.enforceWindow ?? true) && send.type !== "template" && !this.windowOpen(send.waId);
  }

  accept(phoneNumberId: string, send: ValidSend, outsideWindow: boolean): SentMessage {
    const msg: SentMessage = {
      phoneNumberId, to: send.waId, type: send.type, content: send.content, request: send.request,
      text: readableText(send), wamid: wamid(this.random, send.waId, ++this.seq, "out"), at: this.clock.now(),
    };
    this.sent.push(msg);
    const failure: Failure | null = this.faults.undeliverableTo.includes(msg.to) ? "undeliverable" : outsideWindow ? "outsideWindow" : null;
    const planned = planStatuses(msg, this.opts.statusDelaysMs ?? defaultDelays, this.conversations.forMessage(msg), failure);
    const metadata = { display_phone_number: this.opts.displayPhoneNumber ?? DEFAULT_DISPLAY_PHONE, phone_number_id: phoneNumberId };
    this.queue.schedule(planned.map((p) => ({
      dueAt: p.dueAt, payload: webhookEnvelope(this.opts.wabaId ?? DEFAULT_WABA_ID, metadata, { statuses: [p.status] }),
    })));
    this.opts.onSent?.(msg);
    return msg;
  }

  reset(): void {
    this.queue.clear();
    this.sent.length = 0;
    for (const o of requestOutcomes) this.requests[o] = 0;
    Object.assign(this.webhooks, { delivered: 0, failed: 0, lastError: null });
    Object.assign(this.faults, initialFaults(this.opts));
    this.windows.clear();
    this.conversations.clear();
  }
}

function readableText(send: ValidSend): string | null {
  const c = send.content;
  const candidate = send.type === "interactive" ? (c.body as { text?: unknown } | undefined)?.text
    : send.type === "template" ? c.name
    : c.body ?? c.caption ?? c.name ?? c.emoji;
  return typeof candidate === "string" ? candidate : null;
}
