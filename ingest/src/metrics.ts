import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The pipeline's operational surface, served as Prometheus text on /metrics. */
export function createIngestMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "centralita_ingest_" });
  return {
    registry,
    events: new Counter({ name: "centralita_ingest_events_total", help: "Events written to ClickHouse", registers: [registry], labelNames: ["source"] }),
    deadLetters: new Counter({ name: "centralita_ingest_dead_letters_total", help: "Messages refused by a pipeline step", registers: [registry], labelNames: ["source", "step"] }),
    batchSize: new Histogram({ name: "centralita_ingest_batch_size", help: "Rows per ClickHouse insert", registers: [registry], labelNames: ["source"], buckets: [1, 10, 100, 500, 1000, 2000, 5000, 10000, 50000] }),
    insertSeconds: new Histogram({ name: "centralita_ingest_insert_seconds", help: "ClickHouse insert latency", registers: [registry], labelNames: ["source"], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] }),
    insertFailures: new Counter({ name: "centralita_ingest_clickhouse_failures_total", help: "ClickHouse insert attempts that failed (retried)", registers: [registry], labelNames: ["source"] }),
    consumerLag: new Gauge({ name: "centralita_ingest_consumer_lag", help: "Kafka messages behind the high watermark", registers: [registry], labelNames: ["partition"] }),
    outboxBacklog: new Gauge({ name: "centralita_outbox_backlog", help: "Outbox rows not yet published (embedded relay)", registers: [registry] }),
  };
}

export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
