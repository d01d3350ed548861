import type { IngestMetrics } from "./metrics.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/** Sums a counter or gauge over all its label sets. */
async function total(metrics: IngestMetrics, name: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + Number(v.value), 0);
}

/**
 * The same operational picture as /metrics, as one log line per interval (for people reading logs, not
 * dashboards): events written and dead-lettered since the last line, consumer lag, outbox backlog.
 */
export function startStatsLog(metrics: IngestMetrics, log: Log, intervalMs = 60_000) {
  let last = { events: 0, deadLetters: 0, failures: 0 };
  const timer = setInterval(async () => {
    const now = {
      events: await total(metrics, "centralita_ingest_events_total"),
      deadLetters: await total(metrics, "centralita_ingest_dead_letters_total"),
      failures: await total(metrics, "centralita_ingest_clickhouse_failures_total"),
    };
    const lag = await total(metrics, "centralita_ingest_consumer_lag");
    const backlog = await total(metrics, "centralita_outbox_backlog");
    log("pipeline stats", {
      intervalS: intervalMs / 1000, events: now.events - last.events, deadLetters: now.deadLetters - last.deadLetters,
      clickhouseFailures: now.failures - last.failures, consumerLag: lag, outboxBacklog: backlog,
    });
    last = now;
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
