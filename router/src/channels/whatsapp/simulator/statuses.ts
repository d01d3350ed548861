import { statusErrors, type StatusError } from "./errors.js";
import { digits } from "./random.js";
import type { Random, SentMessage, StatusDelays } from "./types.js";

const DAY_MS = 24 * 60 * 60 * 1000;
type Category = "service" | "utility";
type Conversation = { id: string; expiresAt: number; category: Category };

/** Meta opens a 24 h billing conversation per recipient and category; statuses carry its id and expiry. */
export class Conversations {
  private readonly open = new Map<string, Conversation>();
  constructor(private readonly random: Random) {}

  forMessage(msg: SentMessage): Conversation {
    const category: Category = msg.type === "template" ? "utility" : "service";
    const key = `${msg.to}:${category}`;
    const current = this.open.get(key);
    if (current && current.expiresAt > msg.at.getTime()) return current;
    const fresh = { id: digits(this.random, 32).replace(/^0/, "1"), expiresAt: msg.at.getTime() + DAY_MS, category };
    this.open.set(key, fresh);
    return fresh;
  }

  clear(): void {
    this.open.clear();
  }
}

const unix = (ms: number) => String(Math.floor(ms / 1000));

function statusValue(msg: SentMessage, status: string, at: number, conv: Conversation | null, error?: StatusError) {
  return {
    id: msg.wamid, status, timestamp: unix(at), recipient_id: msg.to,
    ...(conv && {
      conversation: { id: conv.id, ...(status === "sent" && { expiration_timestamp: unix(conv.expiresAt) }), origin: { type: conv.category } },
      pricing: { billable: conv.category !== "service", pricing_model: "CBP", category: conv.category },
    }),
    ...(error && { errors: [error] }),
  };
}

export type PlannedStatus = { dueAt: Date; status: Record<string, unknown> };
export type Failure = "undeliverable" | "outsideWindow";

/** The statuses Meta would report for an accepted message: the happy path, or a single `failed`. */
export function planStatuses(msg: SentMessage, delays: StatusDelays, conv: Conversation, failure: Failure | null): PlannedStatus[] {
  const sentAt = msg.at.getTime() + delays.sent;
  if (failure) return [{ dueAt: new Date(sentAt), status: statusValue(msg, "failed", sentAt, null, statusErrors[failure]) }];
  const deliveredAt = sentAt + delays.delivered;
  const readAt = deliveredAt + delays.read;
  return [
    { dueAt: new Date(sentAt), status: statusValue(msg, "sent", sentAt, conv) },
    { dueAt: new Date(deliveredAt), status: statusValue(msg, "delivered", deliveredAt, conv) },
    { dueAt: new Date(readAt), status: statusValue(msg, "read", readAt, null) },
  ];
}
