import { AsyncLocalStorage } from "node:async_hooks";
import { manualClock } from "../clock.js";

type Waiter = { at: number; seq: number; wake: () => void };
type FiberTime = { at: number };

/**
 * A discrete-event loop over a simulated clock. Simulated actors are async functions ("fibers") that
 * `await timeline.at(t)`. The loop wakes, together, every fiber due within `windowMs` of the earliest one
 * and waits until each has slept again or ended before moving on: fibers of one round run concurrently,
 * which is what makes 90 days take minutes. Each fiber carries its own time (AsyncLocalStorage), so
 * everything it makes the router do is stamped exactly when it happens; only the commit order of
 * different fibers' actions within one window is left to chance.
 */
export class Timeline {
  private heap: Waiter[] = [];
  private seq = 0;
  private awake = 0;
  private allAsleep: (() => void) | null = null;
  private readonly fiberTime = new AsyncLocalStorage<FiberTime>();
  private readonly base: ReturnType<typeof manualClock>;
  readonly errors: string[] = [];
  /** The clock to give the router: the calling fiber's time, or the loop's outside any fiber. */
  readonly clock: ReturnType<typeof manualClock>;

  constructor(start: Date, private readonly windowMs = 0) {
    this.base = manualClock(start);
    this.clock = {
      now: () => new Date(this.fiberTime.getStore()?.at ?? this.base.now().getTime()),
      set: (d) => this.base.set(d),
      advance: (ms) => this.base.advance(ms),
    };
  }

  get now(): number {
    return this.clock.now().getTime();
  }

  /** Starts a fiber at `at`. A fiber that throws is recorded and ends; the day goes on. */
  spawn(at: number, fiber: () => Promise<void>): void {
    const time: FiberTime = { at };
    this.push(at, () => {
      this.fiberTime.run(time, fiber).catch((error) => {
        if (this.errors.length < 50) this.errors.push(error instanceof Error ? error.message : String(error));
      }).finally(() => this.release());
    });
  }

  /** Sleeps the calling fiber until `t` (now, if `t` has passed). */
  at(t: number): Promise<void> {
    const time = this.fiberTime.getStore();
    const when = Math.max(t, this.now);
    return new Promise((resolve) => {
      this.push(when, () => {
        if (time) time.at = when;
        resolve();
      });
      this.release();
    });
  }

  after(ms: number): Promise<void> {
    return this.at(this.now + ms);
  }

  /** Runs every fiber step due up to `end` (inclusive); later ones stay queued for the next call. */
  async runUntil(end: number): Promise<void> {
    while (this.heap.length > 0 && this.heap[0]!.at <= end) {
      const limit = Math.min(end, this.heap[0]!.at + this.windowMs);
      const round: Waiter[] = [];
      while (this.heap.length > 0 && this.heap[0]!.at <= limit) round.push(this.pop());
      if (round[0]!.at > this.base.now().getTime()) this.base.set(new Date(round[0]!.at));
      await this.wakeAll(round);
    }
    if (end > this.base.now().getTime()) this.base.set(new Date(end));
  }

  private wakeAll(round: Waiter[]): Promise<void> {
    return new Promise((resolve) => {
      this.awake = round.length;
      this.allAsleep = resolve;
      for (const waiter of round) waiter.wake();
    });
  }

  get pending(): number {
    return this.heap.length;
  }

  /** A fiber of the current round slept or ended; the round is over when all have. */
  private release(): void {
    if (--this.awake > 0) return;
    const resume = this.allAsleep;
    this.allAsleep = null;
    resume?.();
  }

  private push(at: number, wake: () => void): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, wake });
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): Waiter {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: Waiter, b: Waiter) => a.at < b.at || (a.at === b.at && a.seq < b.seq);
