type Listener = () => void;
const listeners = new Set<Listener>();

/** Wakes this process's relays when a transaction wrote outbox rows, so fresh events don't wait a poll. */
export const outboxSignal = {
  notify(): void {
    for (const listener of listeners) listener();
  },
  listen(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
