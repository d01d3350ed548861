import type { IngestMessage } from "./steps.js";

type Waiter = { messages: IngestMessage[]; heartbeat: () => Promise<void>; resolve: () => void; reject: (e: unknown) => void };

export type BatcherOptions = {
  /** Flush as soon as this many messages wait. */
  maxRows: number;
  /** Or this long after the first one arrived. */
  maxWaitMs: number;
  /**
   * How many submitters are active right now: once all of them have handed in, nothing more can arrive
   * before a flush, so waiting for the timer would only add latency.
   */
  activeSubmitters?: () => number;
  /** Writes one merged batch; resolves when ClickHouse acknowledged it. */
  write: (messages: IngestMessage[], heartbeat: () => Promise<void>) => Promise<void>;
};

/**
 * Merges the batches that concurrent partition handlers hand in into few large ClickHouse inserts (size or
 * time threshold). Each submitter's promise settles when the insert holding its messages is acknowledged, so
 * it can commit its offset then. One insert runs at a time; the handlers wait on it, which is what stops
 * Kafka fetching more than the sink keeps up with.
 */
export function createBatcher(options: BatcherOptions) {
  let waiting: Waiter[] = [];
  let waitingRows = 0;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (waiting.length === 0) return chain;
    const group = waiting;
    waiting = [];
    waitingRows = 0;
    const heartbeatAll = async () => {
      await Promise.all(group.map((w) => w.heartbeat().catch(() => {})));
    };
    chain = chain.then(async () => {
      try {
        await options.write(group.flatMap((w) => w.messages), heartbeatAll);
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    });
    return chain;
  }

  return {
    submit(messages: IngestMessage[], heartbeat: () => Promise<void> = async () => {}): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ messages, heartbeat, resolve, reject });
        waitingRows += messages.length;
        const everyoneIn = options.activeSubmitters !== undefined && waiting.length >= options.activeSubmitters();
        if (waitingRows >= options.maxRows || everyoneIn) void flush();
        else timer ??= setTimeout(() => void flush(), options.maxWaitMs);
      });
    },
    /** Writes whatever waits now (shutdown). */
    flush,
  };
}
