import type { BusRecord, EventBus } from "@centralita/router";

/**
 * Wraps a bus and remembers what it accepted, in the order it accepted it, to check per-key order. A random
 * delay per batch (like a network's) lets a later batch overtake an earlier one if the relays allowed it.
 */
export function recordingBus(inner: EventBus, opts: { jitterMs?: number } = {}) {
  const accepted: BusRecord[] = [];
  const bus: EventBus = {
    name: inner.name,
    async publish(records) {
      if (opts.jitterMs) await new Promise((r) => setTimeout(r, Math.random() * opts.jitterMs!));
      await inner.publish(records);
      accepted.push(...records);
    },
    close: () => inner.close(),
  };
  const orderByKey = () => {
    const map = new Map<string, string[]>();
    for (const r of accepted) map.set(r.key, [...(map.get(r.key) ?? []), r.id]);
    return map;
  };
  return { bus, accepted, orderByKey };
}
