type Log = (msg: string, fields?: Record<string, unknown>) => void;

export type Ticket = { topic: string; partition: number; firstOffset: string; nextOffset: string; epoch: number };

export type OffsetTrackerOptions = {
  commit: (topic: string, partition: number, offset: string) => Promise<void>;
  /** Moves a partition's fetch position back, so messages handed in but never written are fetched again. */
  seek: (topic: string, partition: number, offset: string) => void;
  log?: Log;
};

/**
 * Offsets of batches handed to the sink but not yet acknowledged. The consumer moves on to the next fetch
 * before an insert is acknowledged, so Kafka's fetch position runs ahead of what is durable; the committed
 * offset never does: a partition's offset is committed only when the insert holding the batch up to it is
 * acknowledged (inserts are acknowledged in the order they were handed in, and commits go out one by one in
 * that order). If an insert fails, every partition with batches still in flight is sought back to its
 * earliest unacknowledged offset and the acknowledgements still to come from before the failure are ignored
 * (a new epoch), so no later commit can skip over the lost batch.
 */
export function createOffsetTracker(options: OffsetTrackerOptions) {
  const { log = () => {} } = options;
  const inFlight = new Map<string, Ticket[]>();
  let epoch = 0;
  let commits: Promise<void> = Promise.resolve();
  const keyOf = (topic: string, partition: number) => `${topic}\u0000${partition}`;

  return {
    handedIn(topic: string, partition: number, firstOffset: string, lastOffset: string): Ticket {
      const ticket = { topic, partition, firstOffset, nextOffset: (BigInt(lastOffset) + 1n).toString(), epoch };
      const key = keyOf(topic, partition);
      inFlight.set(key, [...(inFlight.get(key) ?? []), ticket]);
      return ticket;
    },

    /** The insert holding `ticket`'s batch was acknowledged: commit its partition up to the batch's end. */
    acknowledged(ticket: Ticket): Promise<void> {
      if (ticket.epoch !== epoch) return Promise.resolve();
      const queue = inFlight.get(keyOf(ticket.topic, ticket.partition)) ?? [];
      queue.splice(queue.indexOf(ticket), 1);
      const { topic, partition, nextOffset } = ticket;
      commits = commits.then(() => options.commit(topic, partition, nextOffset)).catch((error) => {
        // Only during a rebalance or a broker outage: the batch is durable, so the worst case is a redelivery.
        log("offset commit failed; the batch may be delivered again", { topic, partition, error: String((error as Error)?.message ?? error) });
      });
      return commits;
    },

    /** The insert failed: rewind every partition with batches in flight, and forget their tickets. */
    failed(): void {
      epoch += 1;
      for (const queue of inFlight.values()) {
        const earliest = queue[0];
        if (earliest) options.seek(earliest.topic, earliest.partition, earliest.firstOffset);
      }
      inFlight.clear();
    },

    /** Resolves when every commit issued so far has been answered. */
    settled: (): Promise<void> => commits,
  };
}
