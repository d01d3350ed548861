/** Ingest's public surface: the pipeline, its buses and sink, for the embedded launcher, tests and benches. */
export { createIngest, type Ingest, type WriteOutcome } from "./pipeline/ingest.js";
export { runPipeline, type IngestMessage, type EventRow, type DeadLetter } from "./pipeline/steps.js";
export { createBatcher } from "./pipeline/batcher.js";
export { createInProcessBus } from "./bus/in-process.js";
export { startKafkaIngest, DEAD_LETTER_TOPIC, type KafkaIngestOptions } from "./bus/kafka-ingest.js";
export { createIngestMetrics, type IngestMetrics } from "./metrics.js";
export { serveMetrics } from "./metrics-server.js";
export { loadIngestEnv, clickhouseTarget, type IngestEnv } from "./env.js";
export { startStatsLog } from "./stats-log.js";
