import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createKafkaBus, createLiveHub, startKafkaLiveTap, startOutboxRelay } from "@centralita/router";
import { EVENT_TOPIC } from "@centralita/router/events";
import { startHarness } from "../../router/test/support/harness.js";
import { loginAll, seedCompany } from "../../router/test/support/workspace.js";
import { customerWrites } from "../../router/test/support/conversations.js";
import { createIngest, createIngestMetrics, DEAD_LETTER_TOPIC, startKafkaIngest } from "../src/index.js";
import { deadLetters, storedEvents, switchableClickHouse, tempClickHouse } from "./support/clickhouse.js";
import { writeSyntheticEvents } from "./support/synthetic.js";
import { startMockKafka, type MockKafka } from "./support/kafka-broker.js";
import { committedOffsets, readTopic } from "./support/kafka.js";
import { eventually, outboxSize } from "./support/wait.js";

const api = await startHarness(new Date("2026-03-02T15:00:00Z"));
const clickhouse = await tempClickHouse();
const switchable = switchableClickHouse(clickhouse.client);
const metrics = createIngestMetrics();
let broker: MockKafka = await startMockKafka();
// Clients find the broker through this function, so a broker that comes back elsewhere is found again.
const brokers = () => broker.brokers;
afterAll(async () => {
  await broker.stop();
  await clickhouse.close();
});

// Whatever a failed test left running is stopped before the next one, so one failure can't cascade.
const running: Array<{ stop: () => Promise<unknown> }> = [];
const track = <T extends { stop: () => Promise<unknown> }>(thing: T): T => { running.push(thing); return thing; };
afterEach(async () => {
  switchable.state.down = false;
  await Promise.all(running.splice(0).map((r) => r.stop().catch(() => {})));
});

const startIngest = (groupId: string) => startKafkaIngest({
  brokers, groupId, metrics, sessionTimeout: 4000, flushRows: 400, flushMs: 50,
  makeIngest: (forwardDeadLetters) => createIngest({ clickhouse: switchable.client, source: "kafka", metrics, forwardDeadLetters }),
}).then(track);
const storedCount = async () => (await storedEvents(clickhouse.client)).ids.length;

describe("outbox → Kafka → ingest → ClickHouse", () => {
  it("delivers every committed event once; a poison event goes to the dead-letter topic and table, the rest flows", async () => {
    const relay = track(startOutboxRelay({ sql: api.sql, bus: createKafkaBus({ brokers }), batchSize: 500, pollMs: 20 }));
    const ingest = await startIngest("ingest-flow");
    const good = await writeSyntheticEvents(api.db, { conversations: 30, perConversation: 40 });
    const poisonId = "019a0000-0000-7000-8000-00000000beef";
    await api.sql`INSERT INTO outbox (id, tenant_id, type, key, envelope)
      VALUES (${poisonId}, '019a0000-0000-7000-8000-000000000001', 'conversation.resolved', 'poison', ${JSON.stringify({ id: poisonId, type: "conversation.resolved", version: 9 })}::jsonb)`;
    const more = await writeSyntheticEvents(api.db, { conversations: 5, perConversation: 4 });

    await eventually(async () => (await storedCount()) === 1220, { timeoutMs: 60_000, what: "1,220 events in ClickHouse" });
    await eventually(async () => (await deadLetters(clickhouse.client)).length === 1, { what: "the dead letter row" });
    await relay.stop();
    await ingest.stop();

    const stored = await storedEvents(clickhouse.client);
    expect([...stored.ids].sort()).toEqual([...good.ids, ...more.ids].sort());
    const [letter] = await deadLetters(clickhouse.client);
    expect(letter).toMatchObject({ step: "validate", event_id: poisonId, source: "kafka" });
    const dlq = await readTopic(broker.brokers, DEAD_LETTER_TOPIC, 1);
    expect(dlq).toHaveLength(1);
    expect(dlq[0]).toMatchObject({ key: "poison", headers: { step: "validate" } });
    expect(await committedOffsets(broker.brokers, "ingest-flow", EVENT_TOPIC)).toBe(1221);
  });

  it("while ClickHouse is unavailable ingest retries without committing offsets; nothing is lost when it returns", async () => {
    const before = await storedCount();
    const committedBefore = await committedOffsets(broker.brokers, "ingest-outage", EVENT_TOPIC);
    switchable.state.down = true;
    const failuresBefore = switchable.state.refusedInserts;
    const ingest = await startIngest("ingest-outage");
    const relay = track(startOutboxRelay({ sql: api.sql, bus: createKafkaBus({ brokers }), pollMs: 20 }));
    const written = await writeSyntheticEvents(api.db, { conversations: 8, perConversation: 25 });
    await eventually(async () => (await outboxSize(api.sql)) === 0, { what: "the relay to hand the events to Kafka" }); // the router is unaffected
    await eventually(async () => switchable.state.refusedInserts >= failuresBefore + 3, { timeoutMs: 30_000, what: "ingest to retry" });
    // The group has caught up with the 1,221 old messages by now, but not one of the new 200 is committed.
    expect(await committedOffsets(broker.brokers, "ingest-outage", EVENT_TOPIC)).toBeLessThanOrEqual(Math.max(committedBefore, 1221));
    expect(await storedCount()).toBe(before);

    switchable.state.down = false;
    await eventually(async () => (await storedCount()) === before + 200, { timeoutMs: 60_000, what: "the 200 events after the outage" });
    await eventually(async () => (await committedOffsets(broker.brokers, "ingest-outage", EVENT_TOPIC)) === 1421, { what: "offsets committed after the insert" });
    await relay.stop();
    await ingest.stop();
    const stored = await storedEvents(clickhouse.client);
    for (const id of written.ids) expect(stored.ids).toContain(id);
    expect(stored.ids.length).toBe(new Set(stored.ids).size);
  });

  it("while Kafka is unreachable the router keeps working and the outbox grows; then it drains", async () => {
    const before = await storedCount();
    const relay = track(startOutboxRelay({ sql: api.sql, bus: createKafkaBus({ brokers }), pollMs: 20 }));
    await broker.stop();
    const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
    const t = await loginAll(api, co);
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218119990000", "Hola, ¿tienen la mesa en roble?", "Lupita");
    expect((await api.call("POST", `/v1/conversations/${conv.id}/claim`, t.ana)).status).toBe(200);
    expect((await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¡Sí, la tenemos!" })).status).toBe(200);
    expect((await api.call("POST", `/v1/conversations/${conv.id}/resolve`, t.ana, { outcome: "resolved" })).status).toBe(200);
    await writeSyntheticEvents(api.db, { conversations: 4, perConversation: 10 });
    await eventually(async () => relay.stats.failures >= 1, { timeoutMs: 30_000, what: "the relay to notice the outage" });
    const waiting = await outboxSize(api.sql);
    expect(waiting).toBeGreaterThanOrEqual(40 + 5);

    broker = await startMockKafka();
    const ingest = await startIngest("ingest-after-kafka-outage");
    await eventually(async () => (await outboxSize(api.sql)) === 0, { timeoutMs: 60_000, what: "the outbox to drain" });
    await eventually(async () => (await storedCount()) === before + waiting, { timeoutMs: 60_000, what: "the waiting events in ClickHouse" });
    await relay.stop();
    await ingest.stop();
    const [row] = await (await clickhouse.client.query({
      query: "SELECT groupArray(type) AS types FROM (SELECT type FROM events FINAL WHERE conversation_id = {c:UUID} ORDER BY occurred_at, id)",
      query_params: { c: conv.id }, format: "JSONEachRow" })).json<{ types: string[] }>();
    expect(row!.types).toEqual(expect.arrayContaining(["conversation.opened", "message.received", "conversation.assigned", "message.sent", "conversation.resolved"]));
  });

  it("a router instance's live hub hears events another instance relayed, through the topic", async () => {
    const hub = createLiveHub();
    const tenantId = "019a0000-0000-7000-8000-0000000000aa";
    const heard: string[] = [];
    hub.subscribe(tenantId, (events) => heard.push(...events.map((e) => e.id)));
    const tap = track(await startKafkaLiveTap({ brokers: broker.brokers, hub }));
    const relay = track(startOutboxRelay({ sql: api.sql, bus: createKafkaBus({ brokers }), pollMs: 20 }));
    const other = await writeSyntheticEvents(api.db, { conversations: 2, perConversation: 3 });
    const written = await writeSyntheticEvents(api.db, { tenantId, conversations: 2, perConversation: 3 });
    await eventually(async () => heard.length === 6, { timeoutMs: 30_000, what: "the tap to hear the workspace's six events" });
    await relay.stop();
    await tap.stop();
    expect([...heard].sort()).toEqual([...written.ids].sort());
    expect(heard).not.toContain(other.ids[0]);
  });
});
