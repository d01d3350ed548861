import type { BusRecord, EventBus } from "@centralita/router";
import type { Ingest } from "../pipeline/ingest.js";

/**
 * The embedded event bus: the relay's batch goes straight through ingest into ClickHouse. A short retry
 * only: while ClickHouse is down the relay's transaction should roll back and the rows wait in the outbox
 * (the embedded mode's durable queue), rather than hold a Postgres transaction open.
 */
export function createInProcessBus(ingest: Ingest): EventBus {
  return {
    name: "in-process",
    async publish(records: BusRecord[]) {
      await ingest.write(records.map((r) => ({ key: r.key, value: r.value })), { maxAttempts: 3 });
    },
    async close() {},
  };
}
