import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Counts the outbox events written by the code running inside `outboxTally.run(counter, …)`, across every
 * command it calls, however the events were written (alone, or inside a larger statement). The demo-history
 * generator reports its events this way; live traffic runs outside any tally and pays nothing.
 */
export const outboxTally = new AsyncLocalStorage<{ outboxEvents: number }>();

export function countWritten(events: number): void {
  const tally = outboxTally.getStore();
  if (tally) tally.outboxEvents += events;
}
