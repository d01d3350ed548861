import type { ClickHouseClient } from "@clickhouse/client";
import type { IngestMetrics } from "../metrics.js";
import { insertDeadLetters, insertEvents, withRetry, type RetryPolicy } from "../sink/clickhouse-sink.js";
import { runPipeline, type DeadLetter, type IngestMessage, type PipelineOutput } from "./steps.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

export type IngestOptions = {
  clickhouse: ClickHouseClient;
  /** "embedded" or "kafka": labels metrics and dead letters. */
  source: string;
  metrics: IngestMetrics;
  log?: Log;
  /** Dead letters also go here (the Kafka dead-letter topic) before the batch counts as done. */
  forwardDeadLetters?: (letters: DeadLetter[]) => Promise<void>;
};

export type WriteOutcome = { inserted: number; deadLettered: number };

/** Several validated batches as one insert's worth. */
export function mergePrepared(parts: PipelineOutput[]): PipelineOutput {
  if (parts.length === 1) return parts[0]!;
  return { rows: parts.flatMap((p) => p.rows), deadLetters: parts.flatMap((p) => p.deadLetters) };
}

/**
 * Validates a batch and writes it to ClickHouse: good events to `events`, refused ones to `dead_letters`
 * (one bad event never holds back the rest). Resolves only after ClickHouse acknowledged both inserts; the
 * caller commits its position (offsets, outbox rows) after that and never before.
 */
export function createIngest(options: IngestOptions) {
  const { clickhouse, source, metrics, log = () => {} } = options;
  async function writePrepared({ rows, deadLetters }: PipelineOutput, retry: RetryPolicy): Promise<WriteOutcome> {
    const policy: RetryPolicy = {
      ...retry,
      onFailure: (error, attempt) => {
        metrics.insertFailures.inc({ source });
        log("clickhouse insert failed", { source, attempt, rows: rows.length, error: String((error as Error)?.message ?? error) });
        retry.onFailure?.(error, attempt);
      },
    };
    const started = performance.now();
    await withRetry(() => insertEvents(clickhouse, rows), policy);
    metrics.insertSeconds.observe({ source }, (performance.now() - started) / 1000);
    metrics.batchSize.observe({ source }, rows.length);
    metrics.events.inc({ source }, rows.length);
    if (deadLetters.length) {
      await withRetry(() => insertDeadLetters(clickhouse, source, deadLetters), policy);
      await options.forwardDeadLetters?.(deadLetters);
      for (const letter of deadLetters) metrics.deadLetters.inc({ source, step: letter.step });
      log("dead-lettered", { source, count: deadLetters.length, first: { step: deadLetters[0]!.step, reason: deadLetters[0]!.reason.slice(0, 200), eventId: deadLetters[0]!.eventId } });
    }
    return { inserted: rows.length, deadLettered: deadLetters.length };
  }
  return {
    /** Decodes and validates (CPU only): callers run it for the next batch while an insert is in flight. */
    prepare: (messages: IngestMessage[]): PipelineOutput => runPipeline(messages),
    writePrepared,
    write: (messages: IngestMessage[], retry: RetryPolicy) => writePrepared(runPipeline(messages), retry),
  };
}

export type Ingest = ReturnType<typeof createIngest>;
