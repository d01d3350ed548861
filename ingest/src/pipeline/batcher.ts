type Waiter<T> = { part: T; heartbeat: () => Promise<void>; resolve: () => void; reject: (e: unknown) => void };

export type BatcherOptions<T> = {
  /** Rows in one part (a partition's batch). */
  rowsOf: (part: T) => number;
  /** Flush as soon as this many rows wait. */
  maxRows: number;
  /** Or this long after the first one arrived. */
  maxWaitMs: number;
  /**
   * How many submitters are active right now: once all of them have handed in, nothing more can arrive
   * before a flush, so waiting for the timer would only add latency.
   */
  activeSubmitters?: () => number;
  /** Writes one merged batch; resolves when ClickHouse acknowledged it. */
  write: (parts: T[], heartbeat: () => Promise<void>) => Promise<void>;
};

/**
 * Merges the batches that concurrent partition handlers hand in into few large ClickHouse inserts. Each
 * submitter's promise settles when the insert holding its part is acknowledged, so it can commit its offset
 * then. One insert runs at a time. While it runs, what arrives gathers into the next insert (group commit:
 * the busier the sink, the larger its inserts, which is where ClickHouse's per-row cost falls), written as
 * soon as the sink is free or the group is full. `room()` is the backpressure: it waits while a full group
 * is already queued behind the running insert.
 */
export function createBatcher<T>(options: BatcherOptions<T>) {
  let waiting: Waiter<T>[] = [];
  let waitingRows = 0;
  let timer: NodeJS.Timeout | null = null;
  let burstCheck: NodeJS.Immediate | null = null;
  let chain: Promise<void> = Promise.resolve();
  let unfinished = 0;
  let roomWaiters: Array<() => void> = [];

  function settleGroup(group: Waiter<T>[]): Promise<void> {
    const heartbeatAll = async () => {
      await Promise.all(group.map((w) => w.heartbeat().catch(() => {})));
    };
    return options.write(group.map((w) => w.part), heartbeatAll).then(
      () => { for (const w of group) w.resolve(); },
      (error) => { for (const w of group) w.reject(error); },
    );
  }

  function afterInsert() {
    unfinished -= 1;
    if (unfinished <= 1) for (const wake of roomWaiters.splice(0)) wake();
    // What gathered while the sink was busy goes now: the sink is free and the group is as large as it gets.
    if (unfinished === 0 && waiting.length) void flush();
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (waiting.length === 0) return chain;
    const group = waiting;
    waiting = [];
    waitingRows = 0;
    unfinished += 1;
    chain = chain.then(() => settleGroup(group)).finally(afterInsert);
    return chain;
  }

  /** Runs once the handlers of one fetch have all handed in (they submit in the same turn of the event loop). */
  function endOfBurst() {
    burstCheck = null;
    if (waiting.length === 0 || unfinished > 0) return;
    const everyoneIn = options.activeSubmitters !== undefined && waiting.length >= options.activeSubmitters();
    if (everyoneIn) void flush();
    else timer ??= setTimeout(() => void flush(), options.maxWaitMs);
  }

  return {
    submit(part: T, heartbeat: () => Promise<void> = async () => {}): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ part, heartbeat, resolve, reject });
        waitingRows += options.rowsOf(part);
        if (waitingRows >= options.maxRows) void flush();
        else burstCheck ??= setImmediate(endOfBurst);
      });
    },
    /** Resolves when a submitter may hand in more: at most one insert queued behind the running one. */
    room(): Promise<void> {
      if (unfinished <= 1) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    /** Writes whatever waits now; resolves when every insert so far is acknowledged. */
    flush,
    /** Flushes until nothing waits and no insert runs (shutdown). */
    async drain(): Promise<void> {
      while (waiting.length || unfinished) await flush();
    },
  };
}
