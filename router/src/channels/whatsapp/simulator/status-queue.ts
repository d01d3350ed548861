import type { Clock } from "../../../clock.js";

type Item = { seq: number; dueAt: number; payload: unknown; timer: NodeJS.Timeout | null };
export type ScheduledStatus = { dueAt: Date; payload: unknown };

/**
 * Pending status webhooks. Every delivery goes through one promise chain, so statuses reach the router in
 * the order they were released whether a timer, deliverDue() or flush() released them.
 */
export class StatusQueue {
  private readonly pending = new Map<number, Item>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(
    private readonly send: (payload: unknown) => Promise<void>,
    private readonly clock: Clock,
    private readonly useTimers: boolean,
  ) {}

  schedule(statuses: ScheduledStatus[]): void {
    for (const s of statuses) {
      const item: Item = { seq: ++this.seq, dueAt: s.dueAt.getTime(), payload: s.payload, timer: null };
      this.pending.set(item.seq, item);
      if (this.useTimers) {
        // Wall-clock delay from now, not from the (possibly fake) clock, so timers never wait for a test clock.
        const delay = Math.max(0, item.dueAt - this.clock.now().getTime());
        item.timer = setTimeout(() => void this.release([item]), delay);
        item.timer.unref();
      }
    }
  }

  /** Delivers everything pending, in due order, and resolves once every POST (including in-flight ones) settled. */
  async flush(): Promise<number> {
    const items = this.sorted(() => true);
    await this.release(items);
    return items.length;
  }

  /** Delivers what the clock says is due; the way to drive statuses with a manual clock. */
  async deliverDue(): Promise<number> {
    const now = this.clock.now().getTime();
    const items = this.sorted((i) => i.dueAt <= now);
    await this.release(items);
    return items.length;
  }

  size(): number {
    return this.pending.size;
  }

  clear(): void {
    for (const item of this.pending.values()) if (item.timer) clearTimeout(item.timer);
    this.pending.clear();
  }

  idle(): Promise<void> {
    return this.chain;
  }

  private sorted(keep: (i: Item) => boolean): Item[] {
    return [...this.pending.values()].filter(keep).sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq);
  }

  private release(items: Item[]): Promise<void> {
    for (const item of items) {
      this.pending.delete(item.seq);
      if (item.timer) clearTimeout(item.timer);
    }
    this.chain = this.chain.then(async () => {
      for (const item of items) await this.send(item.payload);
    });
    return this.chain;
  }
}
