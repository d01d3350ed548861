import { CompressionTypes, Kafka, logLevel, type Producer } from "kafkajs";
import { EVENT_TOPIC } from "../events/index.js";
import type { BusRecord, EventBus } from "./bus.js";

const PUBLISH_TIMEOUT_MS = 30_000;

/** A request that never answers must not hold the relay's claimed rows forever: give up, retry later. */
function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export type KafkaBusOptions = {
  /** Broker list, or a function that finds it (re-read on every reconnect). */
  brokers: string[] | (() => string[] | Promise<string[]>);
  clientId?: string;
  topic?: string;
};

/**
 * Kafka adapter of the relay's bus: key = conversation id (per-conversation order within a partition), acks
 * from all in-sync replicas, gzip batches, one request in flight so a retried batch cannot overtake the next.
 * A broken connection is dropped and rebuilt on the next publish, so an outage only delays the outbox.
 */
export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const topic = options.topic ?? EVENT_TOPIC;
  const kafka = new Kafka({
    clientId: options.clientId ?? "centralita-router",
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 15_000,
    retry: { initialRetryTime: 100, retries: 3 },
    logLevel: logLevel.NOTHING,
  });
  let producer: Promise<Producer> | null = null;

  function connected(): Promise<Producer> {
    producer ??= (async () => {
      const fresh = kafka.producer({ allowAutoTopicCreation: true, maxInFlightRequests: 1, idempotent: false });
      await fresh.connect();
      return fresh;
    })().catch((error) => { producer = null; throw error; });
    return producer;
  }

  return {
    name: "kafka",
    async publish(records: BusRecord[]) {
      const p = await withTimeout(connected(), PUBLISH_TIMEOUT_MS, "kafka connect");
      try {
        await withTimeout(p.send({
          topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages: records.map((r) => ({ key: r.key, value: r.value, headers: { event_id: r.id } })),
        }), PUBLISH_TIMEOUT_MS, "kafka send");
      } catch (error) {
        producer = null;
        void withTimeout(p.disconnect(), 5000, "kafka disconnect").catch(() => {});
        throw error;
      }
    },
    async close() {
      const current = producer;
      producer = null;
      await current?.then((p) => p.disconnect()).catch(() => {});
    },
  };
}
