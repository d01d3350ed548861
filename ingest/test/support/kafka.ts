import { Kafka, logLevel } from "kafkajs";

/** What a consumer group has committed on a topic, summed over partitions (-1 partitions count as 0). */
export async function committedOffsets(brokers: string[], groupId: string, topic: string): Promise<number> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Every message on a topic from the beginning (for the dead-letter topic). */
export async function readTopic(brokers: string[], topic: string, expected: number, timeoutMs = 20_000) {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${Math.random()}`, sessionTimeout: 4000, heartbeatInterval: 500 });
  const seen: { key: string | null; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
      seen.push({ key: message.key?.toString() ?? null, headers });
    },
  });
  const deadline = Date.now() + timeoutMs;
  while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  return seen;
}
