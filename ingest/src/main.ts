import { connectClickHouse, migrateClickHouse, onShutdownSignal } from "@centralita/migrations";
import { jsonLog } from "@centralita/router";
import { clickhouseTarget, loadIngestEnv, type IngestEnv } from "./env.js";
import { createIngestMetrics } from "./metrics.js";
import { serveMetrics } from "./metrics-server.js";
import { startStatsLog } from "./stats-log.js";
import { createIngest } from "./pipeline/ingest.js";
import { startKafkaIngest } from "./bus/kafka-ingest.js";

/** Ingest as its own process: Kafka `conversation-events` → ClickHouse, /metrics for Prometheus. */
const log = jsonLog("ingest");
let env: IngestEnv;
try {
  env = loadIngestEnv(process.env, { requireKafka: true });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const clickhouse = await connectClickHouse(clickhouseTarget(env));
await migrateClickHouse(clickhouse.client);
const metrics = createIngestMetrics();
const metricsServer = await serveMetrics(metrics.registry, env.HOST, env.INGEST_METRICS_PORT);
const kafka = await startKafkaIngest({
  brokers: env.KAFKA_BROKERS!.split(","),
  groupId: env.INGEST_GROUP_ID,
  metrics,
  log,
  flushRows: env.INGEST_FLUSH_ROWS,
  flushMs: env.INGEST_FLUSH_MS,
  concurrency: env.INGEST_CONCURRENCY,
  sessionTimeout: env.INGEST_SESSION_TIMEOUT_MS,
  makeIngest: (forwardDeadLetters) => createIngest({ clickhouse: clickhouse.client, source: "kafka", metrics, log, forwardDeadLetters }),
});
const statsLog = startStatsLog(metrics, log);
log("ingest ready", { metrics: `${metricsServer.url}/metrics`, clickhouse: clickhouse.embedded ? "embedded" : "server" });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("shutting down: flushing", { signal });
  statsLog.stop();
  await kafka.stop();
  await metricsServer.close();
  await clickhouse.close();
  log("stopped");
  process.exit(0);
}
onShutdownSignal((signal) => void shutdown(signal));
