import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { EVENT_TOPIC, type EventEnvelope } from "../events/index.js";
import type { LiveHub } from "./hub.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * With Kafka, each router instance feeds its live hub from the topic (a group of its own, from the newest
 * offset): a browser connected to this instance then sees changes relayed by any instance. Nothing is
 * committed that matters: on restart browsers reload state from the API anyway.
 */
export async function startKafkaLiveTap(options: { brokers: string[]; hub: LiveHub; log?: Log }) {
  const kafka = new Kafka({ clientId: "centralita-router-live", brokers: options.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `centralita-live-${randomUUID()}`, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 3000 });
  // Starting at the newest offset means "from when we joined": wait for the join so nothing after start is missed.
  const joined = new Promise<void>((resolve) => { consumer.on(consumer.events.GROUP_JOIN, () => resolve()); });
  await consumer.connect();
  await consumer.subscribe({ topics: [EVENT_TOPIC], fromBeginning: false });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      const events: EventEnvelope[] = [];
      for (const message of batch.messages) {
        try {
          if (message.value) events.push(JSON.parse(message.value.toString()) as EventEnvelope);
        } catch { /* ingest dead-letters malformed messages; the live view just skips them */ }
      }
      if (events.length) options.hub.publish(events);
    },
  });
  const inTime = await Promise.race([joined.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  options.log?.(inTime ? "live tap on kafka running" : "live tap on kafka still joining its group");
  return { stop: () => consumer.disconnect() };
}
