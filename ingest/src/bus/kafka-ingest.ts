import { Kafka, logLevel, type Consumer, type Producer } from "kafkajs";
import { EVENT_TOPIC } from "@centralita/router/events";
import type { IngestMetrics } from "../metrics.js";
import { mergePrepared, type Ingest } from "../pipeline/ingest.js";
import { createBatcher } from "../pipeline/batcher.js";
import type { DeadLetter, PipelineOutput } from "../pipeline/steps.js";
import { createOffsetTracker } from "./offset-tracker.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

export const DEAD_LETTER_TOPIC = `${EVENT_TOPIC}.dead-letter`;

export type KafkaIngestOptions = {
  brokers: string[] | (() => string[] | Promise<string[]>);
  groupId?: string;
  topic?: string;
  metrics: IngestMetrics;
  log?: Log;
  flushRows?: number;
  flushMs?: number;
  /** Partitions handled at once; their batches merge into one insert. */
  concurrency?: number;
  sessionTimeout?: number;
  /** Builds the ingest with the dead-letter forwarder this consumer provides. */
  makeIngest: (forwardDeadLetters: (letters: DeadLetter[]) => Promise<void>) => Ingest;
};

function deadLetterForwarder(producer: Producer) {
  return async (letters: DeadLetter[]) => {
    await producer.send({
      topic: DEAD_LETTER_TOPIC,
      acks: -1,
      messages: letters.map((l) => ({
        key: l.message.key,
        value: l.message.value,
        headers: { step: l.step, reason: l.reason.slice(0, 1000), source_partition: String(l.message.partition ?? ""), source_offset: l.message.offset ?? "" },
      })),
    });
  };
}

/**
 * Makes sure the topic exists before the group subscribes, so partitions are assigned at the first join.
 * Brokers without a controller (the test broker) refuse CreateTopics; a metadata request auto-creates there.
 */
async function ensureTopic(kafka: Kafka, topic: string) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true }).catch(() => false);
    await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => null);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Kafka → ClickHouse. Offsets are committed per partition only after the insert holding that partition's
 * messages was acknowledged; while ClickHouse is down the insert retries forever (heartbeating), so nothing
 * is committed and nothing is lost. A crash replays from the last commit: duplicates collapse on event id.
 *
 * The stages overlap: a handler validates its batch, hands it in and returns while the insert runs, so Kafka
 * fetches and decodes the next batches meanwhile (they gather into the next insert); it waits only when a
 * full insert is already queued. The fetch position therefore runs ahead of the commits (see the tracker).
 */
export async function startKafkaIngest(options: KafkaIngestOptions) {
  const { metrics, log = () => {} } = options;
  const topic = options.topic ?? EVENT_TOPIC;
  const kafka = new Kafka({ clientId: "centralita-ingest", brokers: options.brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
  const producer = kafka.producer({ allowAutoTopicCreation: true, maxInFlightRequests: 1 });
  await producer.connect();
  const ingest = options.makeIngest(deadLetterForwarder(producer));
  let stopping = false;
  let activeHandlers = 0;
  let failure: unknown = null;
  const batcher = createBatcher<PipelineOutput>({
    rowsOf: (part) => part.rows.length + part.deadLetters.length,
    activeSubmitters: () => activeHandlers,
    maxRows: options.flushRows ?? 5000,
    maxWaitMs: options.flushMs ?? 200,
    write: async (parts, heartbeat) => {
      await ingest.writePrepared(mergePrepared(parts), { maxAttempts: Infinity, onWait: heartbeat });
    },
  });
  const consumer: Consumer = kafka.consumer({
    groupId: options.groupId ?? "centralita-ingest",
    sessionTimeout: options.sessionTimeout ?? 30_000,
    heartbeatInterval: Math.min(3000, Math.floor((options.sessionTimeout ?? 30_000) / 3)),
    allowAutoTopicCreation: true,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
    // A topic created after we joined (first start) is picked up within this, not the default 5 minutes.
    metadataMaxAge: 10_000,
  });
  const offsets = createOffsetTracker({
    commit: (t, partition, offset) => consumer.commitOffsets([{ topic: t, partition, offset }]),
    seek: (t, partition, offset) => consumer.seek({ topic: t, partition, offset }),
    log,
  });
  await ensureTopic(kafka, topic);
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.concurrency ?? 4,
    eachBatch: async ({ batch, heartbeat, resolveOffset, isRunning, isStale }) => {
      if (batch.messages.length === 0 || !isRunning() || isStale()) return;
      // A failed insert rewound the partitions; failing this round makes kafkajs back off before refetching.
      if (failure) { const error = failure; failure = null; throw error; }
      const part = ingest.prepare(batch.messages.map((m) => ({
        key: m.key?.toString() ?? null, value: m.value?.toString() ?? "", partition: batch.partition, offset: m.offset,
      })));
      const ticket = offsets.handedIn(batch.topic, batch.partition, batch.firstOffset()!, batch.lastOffset());
      const committed = batcher.submit(part, heartbeat).then(
        () => offsets.acknowledged(ticket),
        (error) => { failure = error; offsets.failed(); },
      );
      activeHandlers += 1;
      try {
        // A graceful stop commits what it wrote before the consumer leaves the group.
        if (stopping) { void batcher.flush(); await committed; }
        else await batcher.room();
      } finally {
        activeHandlers -= 1;
      }
      // Moves the fetch position only; the commit above makes it survive a restart once the insert is acked.
      resolveOffset(batch.lastOffset());
      metrics.consumerLag.set({ partition: String(batch.partition) }, Number(batch.offsetLag()));
    },
  });
  log("kafka ingest running", { topic, groupId: options.groupId ?? "centralita-ingest" });

  return {
    /** Graceful: writes and commits what was fetched, then leaves the group. */
    async stop() {
      stopping = true;
      await batcher.drain();
      await offsets.settled();
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
