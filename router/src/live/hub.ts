import type { EventEnvelope } from "../events/index.js";

export type LiveListener = (events: EventEnvelope[]) => void;

/**
 * Fan-out of published events to open browser streams of this process. The outbox relay feeds it after the
 * events are published (so a browser never sees a change that was rolled back); in production each router
 * instance also feeds it from the bus, so a change made on one instance reaches browsers held by another.
 */
export type LiveHub = {
  publish(events: EventEnvelope[]): void;
  /** Listens to one workspace's events; returns the unsubscribe function. */
  subscribe(tenantId: string, listener: LiveListener): () => void;
};

export function createLiveHub(): LiveHub {
  const listeners = new Map<string, Set<LiveListener>>();
  return {
    publish(events) {
      const byTenant = new Map<string, EventEnvelope[]>();
      for (const event of events) {
        if (!listeners.has(event.tenant_id)) continue;
        const list = byTenant.get(event.tenant_id) ?? [];
        list.push(event);
        byTenant.set(event.tenant_id, list);
      }
      for (const [tenantId, tenantEvents] of byTenant) {
        for (const listener of listeners.get(tenantId) ?? []) {
          try { listener(tenantEvents); } catch { /* one broken stream must not stop the others */ }
        }
      }
    },
    subscribe(tenantId, listener) {
      const set = listeners.get(tenantId) ?? new Set<LiveListener>();
      set.add(listener);
      listeners.set(tenantId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(tenantId);
      };
    },
  };
}
