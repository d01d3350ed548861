import { inSendingTransaction, type Db, type Sending, type Tx } from "../db/index.js";
import { assignWaiting } from "../assignment/drain.js";
import type { Conversation } from "../assignment/assign.js";
import { dealsNow, type AutoAssignOptions } from "../assignment/auto.js";
import { lockTeams, pickCandidates } from "../assignment/strategies.js";
import type { Clock } from "../clock.js";
import { receiveInbound, receiveInboundIn, type InboundMessage, type InboundResult } from "./inbound.js";
import { TeamTurns } from "./team-turns.js";
import { DealtStores } from "./inbound-dealt.js";
import { ContinuedStores } from "./inbound-existing.js";
import { arriveTogether } from "./inbound-reads.js";

type Deps = { db: Db; clock: Clock; log?: (msg: string, fields?: Record<string, unknown>) => void };
type Pending = { msg: InboundMessage; resolve: (r: InboundResult) => void; reject: (e: unknown) => void };

export type InboundBatcherOptions = {
  /** Messages per transaction at most. */
  maxBatch?: number;
  /** Transactions in flight at most; more messages wait and join the next batch. */
  maxInFlight?: number;
};

/** One message per phone per batch: the batch's contact upsert may touch each contact once. */
const contactKey = (m: InboundMessage) => m.from;

/**
 * Group commit for customer messages: what arrives while earlier batches are in flight is stored together,
 * several customers per transaction, so BEGIN, COMMIT and every round trip are paid once per batch instead of
 * once per message. A batch holds at most one message per customer (the next one waits for a later batch,
 * and the busy customer is skipped until this one commits), and each message still runs the one inbound path. A batch that fails for
 * any reason (a duplicate, a deadlock after retries, a bad message) rolls back whole and its messages are
 * stored again one per transaction, so one message's failure is its own. A caller's promise settles only
 * once its message is committed: nothing is acknowledged before it is stored. A batch runs in the async
 * context of the request that started it (AsyncLocalStorage state does not follow each message).
 */
export class InboundBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  /** Customers (by phone, whichever number they wrote to) with a message in a batch in flight: their next one waits, so one customer's messages keep their order. */
  private readonly busy = new Set<string>();
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  /** Transactions run, messages they held, and batches that rolled back and went one message at a time. */
  readonly stats = { batches: 0, messages: 0, fallbacks: 0 };

  constructor(private readonly deps: Deps, opts: InboundBatcherOptions = {}) {
    this.maxBatch = opts.maxBatch ?? 32;
    this.maxInFlight = opts.maxInFlight ?? 2;
  }

  receive(msg: InboundMessage): Promise<InboundResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const keys = batch.map((p) => contactKey(p.msg));
      for (const key of keys) this.busy.add(key);
      this.inFlight++;
      void this.store(batch).finally(() => {
        for (const key of keys) this.busy.delete(key);
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** The oldest waiting messages, one per customer, in arrival order. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const customers = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < this.maxBatch; ) {
      const key = contactKey(this.queue[i]!.msg);
      if (customers.has(key) || this.busy.has(key)) { i++; continue; }
      customers.add(key);
      batch.push(...this.queue.splice(i, 1));
    }
    return batch;
  }

  private async store(batch: Pending[]): Promise<void> {
    this.stats.batches++;
    this.stats.messages += batch.length;
    if (batch.length === 1) return this.storeAlone(batch[0]!);
    const afterCommit = new Map<number, { conv: Conversation; opts: AutoAssignOptions }>();
    let results: InboundResult[];
    try {
      results = await inSendingTransaction(this.deps.db, (tx) => {
        afterCommit.clear(); // a retried transaction deals again
        return this.storeTogether(tx, batch, (i, conv, opts) => afterCommit.set(i, { conv, opts }));
      });
    } catch (error) {
      this.stats.fallbacks++;
      this.deps.log?.("inbound batch rolled back; storing its messages one by one", { messages: batch.length, error: String(error).slice(0, 200) });
      await Promise.all(batch.map((p) => this.storeAlone(p)));
      return;
    }
    await Promise.all([...afterCommit].map(async ([i, { conv, opts }]) => {
      const agentId = await assignWaiting(this.deps, conv.tenantId, conv.id, opts).catch(() => null); // else it waits for a drain
      results[i] = { ...results[i]!, assigneeId: agentId } as InboundResult;
    }));
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  /**
   * The batch's messages in one transaction: `sent` once each has sent its last statement (or settled), so
   * COMMIT goes right behind the last; `result` once every one has settled, failing with the first failure.
   */
  private storeTogether(tx: Tx, batch: Pending[], afterCommit: (i: number, conv: Conversation, opts: AutoAssignOptions) => void): Sending<InboundResult[]> {
    const now = this.deps.clock.now();
    const dealt = new DealtStores(tx, now);
    const continued = new ContinuedStores(tx, now);
    // Once every message has found its place: the continued ones go out first, then the team locks for the dealt.
    const onTurns = (n: number) => (continued.send(), dealt.expect(n));
    const turns = new TeamTurns(batch.length, (ids) => lockTeams(tx, ids), (teamId, count) => pickCandidates(tx, teamId, [], count),
      (team) => dealsNow(team, now), onTurns);
    const arrivals = arriveTogether(tx, now, batch.map((p) => p.msg));
    let quiet = 0;
    let allSent!: () => void;
    let failed!: (error: unknown) => void;
    const sent = new Promise<void>((resolve, reject) => ((allSent = resolve), (failed = reject)));
    const marked = batch.map(() => false);
    const mark = (i: number) => {
      if (!marked[i] && (marked[i] = true) && ++quiet === batch.length) allSent();
    };
    const running = batch.map((p, i) => receiveInboundIn(tx, this.deps.clock, p.msg, {
      now, turns, dealt, continued, arrival: arrivals.then((reads) => reads[i]), lastSent: () => mark(i), assignAfterCommit: (conv, opts) => afterCommit(i, conv, opts),
    }).then((r) => (mark(i), r), (error) => (failed(error), Promise.reject(error))));
    // Every message settles before the transaction ends: no statement may outlive its ROLLBACK.
    const result = Promise.allSettled(running).then((settled) => {
      const failure = settled.find((s) => s.status === "rejected");
      if (failure) throw failure.reason;
      return settled.map((s) => (s as PromiseFulfilledResult<InboundResult>).value);
    });
    return { sent, result };
  }

  private async storeAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await receiveInbound(this.deps, p.msg));
    } catch (error) {
      p.reject(error);
    }
  }
}
