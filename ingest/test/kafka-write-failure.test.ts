import { afterAll, describe, expect, it } from "vitest";
import { createKafkaBus, startOutboxRelay } from "@centralita/router";
import { EVENT_TOPIC } from "@centralita/router/events";
import { freshDatabase } from "../../router/test/support/database.js";
import { createIngest, createIngestMetrics, DEAD_LETTER_TOPIC, startKafkaIngest, type DeadLetter } from "../src/index.js";
import { storedEvents, tempClickHouse } from "./support/clickhouse.js";
import { writeSyntheticEvents } from "./support/synthetic.js";
import { startMockKafka } from "./support/kafka-broker.js";
import { committedOffsets, readTopic } from "./support/kafka.js";
import { eventually, outboxSize } from "./support/wait.js";

const database = await freshDatabase();
const broker = await startMockKafka();
const clickhouse = await tempClickHouse();
afterAll(async () => {
  await broker.stop();
  await clickhouse.close();
  await database.close();
});

describe("Kafka ingest when a write fails after later batches were already fetched", () => {
  it("rewinds to the failed batch: every event arrives and no offset is committed past a lost batch", async () => {
    const first = await writeSyntheticEvents(database.db, { conversations: 20, perConversation: 15 });
    const poisonId = "019a0000-0000-7000-8000-00000000f00d";
    await database.sql`INSERT INTO outbox (id, tenant_id, type, key, envelope)
      VALUES (${poisonId}, '019a0000-0000-7000-8000-000000000001', 'message.received', 'poison', ${JSON.stringify({ id: poisonId, type: "message.received", version: 1 })}::jsonb)`;
    const second = await writeSyntheticEvents(database.db, { conversations: 20, perConversation: 15 });
    const relay = startOutboxRelay({ sql: database.sql, bus: createKafkaBus({ brokers: broker.brokers }), batchSize: 100 });
    await eventually(async () => (await outboxSize(database.sql)) === 0, { what: "the outbox to reach Kafka" });
    await relay.stop();

    // The dead-letter topic refuses the first forward: that write fails after its events were inserted.
    let forwards = 0;
    const ingest = await startKafkaIngest({
      brokers: broker.brokers, groupId: "write-failure", metrics: createIngestMetrics(), sessionTimeout: 4000, flushRows: 50, flushMs: 20,
      makeIngest: (forward) => createIngest({
        clickhouse: clickhouse.client, source: "kafka", metrics: createIngestMetrics(),
        forwardDeadLetters: async (letters: DeadLetter[]) => {
          forwards += 1;
          if (forwards === 1) throw new Error("dead-letter topic unreachable");
          await forward(letters);
        },
      }),
    });
    await eventually(async () => (await committedOffsets(broker.brokers, "write-failure", EVENT_TOPIC)) === 601, { timeoutMs: 60_000, what: "every offset committed" });
    await ingest.stop();

    expect(forwards).toBeGreaterThanOrEqual(2);
    const stored = await storedEvents(clickhouse.client);
    expect(new Set(stored.ids)).toEqual(new Set([...first.ids, ...second.ids]));
    const dlq = await readTopic(broker.brokers, DEAD_LETTER_TOPIC, 1);
    expect(dlq.map((m) => m.key)).toContain("poison");
  });
});
