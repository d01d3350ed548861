import { systemClock, type Clock } from "../../../clock.js";
import { DEFAULT_WABA_ID } from "./core.js";
import { createPool, nextTopicIfDone, type Customer } from "./customer-pool.js";
import { reaction, spontaneous, text, type InboundContext } from "./inbound.js";
import { replies } from "./phrases.js";
import { pick, wamid } from "./random.js";
import type { Random, WebhookTarget } from "./types.js";
import { postWebhook, webhookEnvelope } from "./webhook.js";

export type SimulatedCustomersOptions = {
  phoneNumberId: string;
  displayPhone: string;
  appSecret: string;
  webhookUrl: WebhookTarget;
  ratePerMinute: number;
  customers?: number;
  random?: Random;
  clock?: Clock;
  /** The Graph simulator's state, so the 24 h window opens exactly when a simulated customer writes. */
  graph?: { customerWrote(phone: string, at?: Date): void };
  wabaId?: string;
  /** Chance that a write comes from someone already talking rather than a new customer. Default 0.65. */
  followUpProbability?: number;
  /** Chance that a customer answers an agent's message. Default 0.5. */
  replyProbability?: number;
  /** Concurrent webhook POSTs allowed before timer ticks are skipped (a slow router must not pile up requests). */
  maxInFlight?: number;
};

export type CustomerStats = { written: number; failed: number; skipped: number; repliesQueued: number; lastError: string | null };

export type SimulatedCustomers = {
  start(): void;
  stop(): void;
  /** One write: a queued reply to an agent if any, else a spontaneous message. Rejects if the webhook POST fails. */
  writeOnce(): Promise<void>;
  /** Tells the customer an agent wrote; returns whether they will answer (on a later write, within the rate). */
  onAgentMessage(to: string, text: string, wamid?: string): boolean;
  readonly stats: Readonly<CustomerStats>;
  readonly pool: readonly Customer[];
};

type Reply = { customer: Customer; text: string; emoji: string | null };
const MAX_QUEUED_REPLIES = 200;

/** The customers' shared memory: who is talking, what they will answer, and how to write a webhook. */
class Crowd {
  readonly stats: CustomerStats = { written: 0, failed: 0, skipped: 0, repliesQueued: 0, lastError: null };
  readonly pool: Customer[];
  private readonly byPhone: Map<string, Customer>;
  private readonly talking = new Set<Customer>();
  private readonly queued: Reply[] = [];
  private readonly random: Random;
  private readonly clock: Clock;
  private seq = 0;

  constructor(private readonly opts: SimulatedCustomersOptions) {
    this.random = opts.random ?? Math.random;
    this.clock = opts.clock ?? systemClock;
    this.pool = createPool(this.random, opts.customers ?? 25);
    this.byPhone = new Map(this.pool.map((c) => [c.phone, c]));
  }

  async writeOnce(): Promise<void> {
    const at = this.clock.now();
    const ctx: InboundContext = { random: this.random, at, displayPhone: this.opts.displayPhone, newId: (phone) => wamid(this.random, phone, ++this.seq, "in") };
    const { customer, message } = this.compose(ctx);
    customer.turns++;
    this.talking.add(customer);
    this.opts.graph?.customerWrote(customer.phone, at);
    const metadata = { display_phone_number: this.opts.displayPhone, phone_number_id: this.opts.phoneNumberId };
    const payload = webhookEnvelope(this.opts.wabaId ?? DEFAULT_WABA_ID, metadata, {
      contacts: [{ profile: { name: customer.name }, wa_id: customer.phone }],
      messages: [message],
    });
    try {
      await postWebhook(this.opts.webhookUrl, payload, this.opts.appSecret);
      this.stats.written++;
    } catch (err) {
      this.stats.failed++;
      this.stats.lastError = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }

  onAgentMessage(to: string, agentText: string, agentWamid?: string): boolean {
    const customer = this.byPhone.get(to.replace(/^\+/, ""));
    if (!customer) return false;
    if (agentWamid) customer.lastAgentWamid = agentWamid;
    if (this.queued.length >= MAX_QUEUED_REPLIES || this.random() >= (this.opts.replyProbability ?? 0.5)) return false;
    const emoji = agentWamid && this.random() < 0.15 ? "👍" : null;
    const group = replies.find((g) => g.when.test(agentText)) ?? replies[replies.length - 1]!;
    this.queued.push({ customer, emoji, text: pick(this.random, group.texts) });
    this.stats.repliesQueued++;
    return true;
  }

  private speaker(): Customer {
    const fresh = this.pool.filter((c) => !this.talking.has(c));
    const followUp = this.talking.size > 0 && (fresh.length === 0 || this.random() < (this.opts.followUpProbability ?? 0.65));
    return followUp ? pick(this.random, [...this.talking]) : pick(this.random, fresh);
  }

  private compose(ctx: InboundContext): { customer: Customer; message: Record<string, unknown> } {
    const reply = this.queued.shift();
    if (reply) {
      const { customer } = reply;
      return { customer, message: (reply.emoji === null ? null : reaction(customer, ctx, reply.emoji)) ?? text(customer, ctx, reply.text) };
    }
    const customer = this.speaker();
    nextTopicIfDone(this.random, customer);
    return { customer, message: spontaneous(customer, ctx) };
  }
}

/** Customers writing Spanish messages to the business number as signed Meta webhooks, at a bounded rate. */
export function createSimulatedCustomers(opts: SimulatedCustomersOptions): SimulatedCustomers {
  const crowd = new Crowd(opts);
  const writeOnce = () => crowd.writeOnce();
  const ticker = rateTicker(opts, crowd.stats, writeOnce);
  return {
    start: ticker.start, stop: ticker.stop, writeOnce, stats: crowd.stats, pool: crowd.pool,
    onAgentMessage: (to, agentText, agentWamid) => crowd.onAgentMessage(to, agentText, agentWamid),
  };
}

/**
 * One write per tick at 60000/rate ms: replies share the same budget, so the configured rate is a hard ceiling.
 * Timers are unref'd so a forgotten simulator never keeps a process alive.
 */
function rateTicker(opts: SimulatedCustomersOptions, stats: CustomerStats, writeOnce: () => Promise<void>) {
  let timer: NodeJS.Timeout | null = null;
  let inFlight = 0;
  const tick = () => {
    if (inFlight >= (opts.maxInFlight ?? 32)) { stats.skipped++; return; }
    inFlight++;
    // Failures are already counted in stats; a timer has nobody to reject to.
    writeOnce().catch(() => undefined).finally(() => { inFlight--; });
  };
  return {
    start() {
      if (timer) return;
      if (!(opts.ratePerMinute > 0) || !Number.isFinite(opts.ratePerMinute)) throw new RangeError(`ratePerMinute must be a positive number, got ${opts.ratePerMinute}`);
      timer = setInterval(tick, 60_000 / opts.ratePerMinute);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
