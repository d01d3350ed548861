/**
 * `npm run bench -w ingest`: events/s outbox → ClickHouse (embedded relay, in-process bus) and Kafka →
 * ClickHouse, each against the raw insert rate of the same rows into the same ClickHouse in the same run, and
 * event-to-query freshness. Figures go to bench-results/ingest.jsonl (see /work/shared/BENCH.md).
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { connectClickHouse, migrateClickHouse, migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";
import { connectDatabase, createKafkaBus, EventBatch, inTransaction, startOutboxRelay, type Db } from "@centralita/router";
import { createInProcessBus, createIngest, createIngestMetrics, runPipeline, startKafkaIngest, type EventRow } from "../src/index.js";
import { startMockKafka } from "../test/support/kafka-broker.js";
import { envInt, median, percentile, round, table, writeFigures, type Figure } from "../../router/bench/stats.js";

const K = { events: envInt("BENCH_EVENTS", 60_000), rounds: envInt("BENCH_ROUNDS", 3), kafkaEvents: envInt("BENCH_KAFKA_EVENTS", 100_000), freshness: envInt("BENCH_FRESHNESS_SAMPLES", 200) };
const RESULTS = path.resolve(import.meta.dirname, "../../bench-results/ingest.jsonl");
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = await mkdtemp(path.join(os.tmpdir(), "centralita-ingest-bench-"));
await chmod(dir, 0o755); // the embedded server runs as its own user when we are root
const pg = await startEmbeddedPostgres(path.join(dir, "pg"));
await migratePostgres(pg.url);
const database = connectDatabase(pg.url, { max: 10 });
const clickhouse = await connectClickHouse({ dataDir: path.join(dir, "clickhouse") });
await migrateClickHouse(clickhouse.client);
const metrics = createIngestMetrics();
const ch = clickhouse.client;


/** Commits `n` events (a realistic mix per conversation) into the outbox, 5,000 per transaction. */
async function commitEvents(db: Db, n: number, tenantId = randomUUID()): Promise<string[]> {
  const ids: string[] = [];
  const conversations = Array.from({ length: Math.max(1, Math.floor(n / 10)) }, () => randomUUID());
  for (let start = 0; start < n; start += 5000) {
    const batch = new EventBatch(new Date());
    for (let i = start; i < Math.min(n, start + 5000); i++) {
      const conversationId = conversations[i % conversations.length]!;
      const e = i % 3 === 0
        ? batch.add("message.sent", { tenantId, conversationId, agentId: conversationId }, { cycle: 1, message_id: randomUUID(), wa_message_id: null, sender: "agent", template_name: null, kind: "text", length: 40 })
        : batch.add("message.received", { tenantId, conversationId }, { cycle: 1, message_id: randomUUID(), wa_message_id: `wamid.${i}`, kind: "text", length: 25 });
      ids.push(e.id);
    }
    await inTransaction(db, (tx) => batch.flush(tx));
  }
  return ids;
}

async function outboxRows(): Promise<EventRow[]> {
  const rows = await database.sql<{ key: string; value: string }[]>`SELECT key, envelope::text AS value FROM outbox`;
  return runPipeline(rows).rows;
}

/**
 * Raw baseline: the same rows inserted straight into the same `events` table (its materialized views
 * included, as the pipeline's inserts pay them too), in the same batch size. Run after the pipeline so its
 * copies (same ids, collapsed by merges) don't disturb the pipeline's row count.
 */
async function rawInsertRate(rows: EventRow[]): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 5000) await ch.insert({ table: "events", values: rows.slice(i, i + 5000), format: "JSONEachRow" });
  return rows.length / ((performance.now() - started) / 1000);
}

/** Mean rows per ClickHouse insert so far: the pipeline's inserts may be larger than the baseline's 5,000. */
async function meanInsertRows(source: string): Promise<number> {
  const { values } = await metrics.batchSize.get();
  const of = (suffix: string) => Number(values.find((v) => v.labels.source === source && v.metricName?.endsWith(suffix))?.value ?? 0);
  return Math.round(of("_sum") / Math.max(1, of("_count")));
}

/** Rows ClickHouse acknowledged through ingest (its own counter: row counts of a ReplacingMergeTree drift as merges collapse copies). */
async function ingested(source: string): Promise<number> {
  const { values } = await metrics.events.get();
  return Number(values.find((v) => v.labels.source === source)?.value ?? 0);
}

async function embeddedRate(n: number): Promise<number> {
  const before = await ingested("embedded");
  const ingest = createIngest({ clickhouse: ch, source: "embedded", metrics });
  const started = performance.now();
  // One claim loop (two rounds in flight: the next batch is claimed and validated while one inserts); the
  // embedded connection still runs one ClickHouse statement at a time (chdb has hung with several, see README).
  const relay = startOutboxRelay({ sql: database.sql, bus: createInProcessBus(ingest), batchSize: 5000 });
  while ((await ingested("embedded")) < before + n) await sleep(10);
  const seconds = (performance.now() - started) / 1000;
  await relay.stop();
  return n / seconds;
}

async function kafkaRate(n: number): Promise<{ rate: number; raw: number; insertRows: number }> {
  const broker = await startMockKafka();
  try {
    await commitEvents(database.db, n);
    const rows = await outboxRows();
    const relay = startOutboxRelay({ sql: database.sql, bus: createKafkaBus({ brokers: broker.brokers }), batchSize: 5000 });
    while (Number((await database.sql`SELECT count(*)::int AS n FROM outbox`)[0]!.n) > 0) await sleep(50);
    await relay.stop();
    const before = await ingested("kafka");
    const ingest = await startKafkaIngest({
      brokers: broker.brokers, groupId: "bench", metrics, sessionTimeout: 6000, flushRows: 20_000, flushMs: 200, concurrency: 4,
      makeIngest: (forward) => createIngest({ clickhouse: ch, source: "kafka", metrics, forwardDeadLetters: forward }),
    });
    while ((await ingested("kafka")) === before) await sleep(2);
    const started = performance.now();
    const firstSeen = (await ingested("kafka")) - before;
    while ((await ingested("kafka")) < before + n) await sleep(10);
    const rate = (n - firstSeen) / ((performance.now() - started) / 1000);
    await ingest.stop();
    return { rate, raw: await rawInsertRate(rows), insertRows: await meanInsertRows("kafka") };
  } finally {
    await broker.stop();
  }
}

/** Commit → visible to a ClickHouse query, one event at a time while the embedded pipeline runs. */
async function freshness(samples: number): Promise<number[]> {
  const ingest = createIngest({ clickhouse: ch, source: "embedded", metrics });
  const relay = startOutboxRelay({ sql: database.sql, bus: createInProcessBus(ingest) });
  const tenantId = randomUUID();
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const [id] = await commitEvents(database.db, 1, tenantId);
    const committed = performance.now();
    for (;;) {
      const r = await ch.query({ query: "SELECT count() AS n FROM events WHERE tenant_id = {t:UUID} AND id = {id:UUID}", query_params: { t: tenantId, id }, format: "JSONEachRow" });
      if (Number((await r.json<{ n: string }>())[0]!.n) > 0) break;
      await sleep(2);
    }
    latencies.push(performance.now() - committed);
    await sleep(20);
  }
  await relay.stop();
  return latencies;
}

const embedded: number[] = [];
const raw: number[] = [];
try {
  for (let r = 1; r <= K.rounds; r++) {
    await commitEvents(database.db, K.events);
    const rows = await outboxRows();
    embedded.push(await embeddedRate(K.events));
    raw.push(await rawInsertRate(rows));
    log(`round ${r}: embedded ${Math.round(embedded.at(-1)!)} events/s, raw ${Math.round(raw.at(-1)!)} rows/s`);
  }
  const kafka = await kafkaRate(K.kafkaEvents);
  log(`kafka → clickhouse ${Math.round(kafka.rate)} events/s (${kafka.insertRows} rows per insert), raw ${Math.round(kafka.raw)} rows/s`);
  const embeddedInsertRows = await meanInsertRows("embedded");
  const fresh = await freshness(K.freshness);
  const at = new Date().toISOString();
  const embeddedMedian = median(embedded);
  const rawMedian = median(raw);
  const figures: Figure[] = [
    { figure: "ingest.embedded_events_per_s", value: round(embeddedMedian, 0), unit: "events/s", baseline: "raw JSONEachRow insert of the same rows into the same events table (materialized views included), 5,000 per insert", baseline_value: round(rawMedian, 0), ratio: round(embeddedMedian / rawMedian), goal: ">=100000 and ratio >=0.5", data: `${K.events} events per round (2/3 message.received, 1/3 message.sent), ${K.rounds} rounds, median; ${embeddedInsertRows} rows per pipeline insert`, at },
    { figure: "ingest.kafka_events_per_s", value: round(kafka.rate, 0), unit: "events/s", baseline: "raw JSONEachRow insert of the same rows into the same events table (materialized views included), 5,000 per insert", baseline_value: round(kafka.raw, 0), ratio: round(kafka.rate / kafka.raw), goal: ">=100000 and ratio >=0.5", data: `${K.kafkaEvents} events pre-produced to the mock Kafka broker (4 partitions), measured from the first insert; ${kafka.insertRows} rows per pipeline insert`, at },
    { figure: "ingest.freshness_p95_ms", value: round(percentile(fresh, 95), 1), unit: "ms", baseline: "p50", baseline_value: round(percentile(fresh, 50), 1), ratio: null, goal: "<2000", data: `${K.freshness} single-event commits, 20 ms apart, embedded pipeline`, at },
  ];
  await writeFigures(RESULTS, figures);
  console.log("\n" + table([["figure", "value", "unit", "baseline", "ratio", "goal"], ...figures.map((f) => [f.figure, f.value, f.unit, f.baseline_value, f.ratio, f.goal])]));
  console.log(`\nwritten to ${RESULTS}`);
} finally {
  await clickhouse.close();
  await database.close();
  await pg.stop();
  await rm(dir, { recursive: true, force: true });
}
process.exit(0);
