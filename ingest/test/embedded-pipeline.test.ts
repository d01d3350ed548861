import { afterAll, describe, expect, it } from "vitest";
import { createLiveHub, startOutboxRelay } from "@centralita/router";
import type { EventEnvelope } from "@centralita/router/events";
import { startHarness } from "../../router/test/support/harness.js";
import { loginAll, seedCompany } from "../../router/test/support/workspace.js";
import { customerWrites } from "../../router/test/support/conversations.js";
import { createInProcessBus, createIngest, createIngestMetrics } from "../src/index.js";
import { deadLetters, storedEvents, switchableClickHouse, tempClickHouse } from "./support/clickhouse.js";
import { writeSyntheticEvents } from "./support/synthetic.js";
import { recordingBus } from "./support/recording-bus.js";
import { eventually, outboxSize } from "./support/wait.js";

const api = await startHarness(new Date("2026-03-02T15:00:00Z"));
const clickhouse = await tempClickHouse();
const switchable = switchableClickHouse(clickhouse.client);
const metrics = createIngestMetrics();
const ingest = createIngest({ clickhouse: switchable.client, source: "embedded", metrics });
afterAll(() => clickhouse.close());

const sorted = (ids: Iterable<string>) => [...ids].sort();
const drained = () => eventually(async () => (await outboxSize(api.sql)) === 0, { what: "the outbox to drain" });

describe("outbox → in-process bus → ClickHouse (the embedded default)", () => {
  it("three relays running at once deliver every committed event exactly once, in order per conversation", async () => {
    const recorder = recordingBus(createInProcessBus(ingest), { jitterMs: 25 });
    const live = createLiveHub();
    const seenLive: EventEnvelope[] = [];
    const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
    live.subscribe(co.tenantId, (events) => seenLive.push(...events));
    const relays = [1, 2, 3].map(() => startOutboxRelay({ sql: api.sql, bus: recorder.bus, live, batchSize: 150, pollMs: 5 }));

    // Real commands through the API while synthetic traffic (another workspace) commits concurrently.
    const load = writeSyntheticEvents(api.db, { conversations: 40, perConversation: 50, perTransaction: 97 });
    const t = await loginAll(api, co);
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112345678", "Hola, quiero cotización", "Roberto");
    const call = (token: string, path: string, body?: unknown) => api.call("POST", `/v1/conversations/${conv.id}${path}`, token, body);
    expect((await call(t.ana, "/claim")).status).toBe(200);
    expect((await call(t.ana, "/messages", { text: "¡Hola Roberto!" })).status).toBe(200);
    expect((await call(t.ana, "/notes", { text: "Lead de Monterrey" })).status).toBe(200);
    expect((await call(t.ana, "/transfer", { toAgentId: co.carlos.id, toTeamId: co.soporte.id, reason: "Pedido anterior" })).status).toBe(200);
    expect((await call(t.carlos, "/transfer", { toAgentId: co.ana.id, toTeamId: co.ventas.id, reason: "Resuelto" })).status).toBe(200);
    expect((await call(t.ana, "/resolve", { outcome: "won", dealValue: 15800, currency: "MXN" })).status).toBe(200);
    const synthetic = await load;
    await drained();
    await Promise.all(relays.map((r) => r.stop()));

    const published = recorder.accepted.map((r) => r.id);
    expect(new Set(published).size).toBe(published.length);
    const stored = await storedEvents(clickhouse.client);
    expect(sorted(stored.ids)).toEqual(sorted(published));
    expect(stored.rawRows).toBe(published.length);
    for (const id of synthetic.ids) expect(stored.ids).toContain(id);

    const order = recorder.orderByKey();
    for (const [conversationId, ids] of synthetic.idsByKey) expect(order.get(conversationId)).toEqual(ids);
    const conversationTypes = recorder.accepted.filter((r) => r.key === conv.id).map((r) => JSON.parse(r.value).type);
    expect(conversationTypes).toEqual([
      "conversation.opened", "message.received", "conversation.assigned", "message.sent", "note.added",
      "conversation.transferred", "conversation.assigned", "conversation.transferred", "conversation.assigned", "conversation.resolved",
    ]);
    // The live hub saw this workspace's events once each, and only after they were published.
    expect(seenLive.filter((e) => e.conversation_id === conv.id).map((e) => e.type)).toEqual(conversationTypes);
    expect(relays.reduce((n, r) => n + r.stats.published, 0)).toBe(published.length);
  });

  it("while ClickHouse is unreachable the events wait in the outbox; when it returns they all arrive, once", async () => {
    const before = (await storedEvents(clickhouse.client)).ids.length;
    switchable.state.down = true;
    const relay = startOutboxRelay({ sql: api.sql, bus: createInProcessBus(ingest), batchSize: 500, pollMs: 20 });
    const written = await writeSyntheticEvents(api.db, { conversations: 10, perConversation: 30 });
    await eventually(async () => relay.stats.failures >= 2, { what: "the relay to hit the outage" });
    expect(await outboxSize(api.sql)).toBe(300);
    expect((await storedEvents(clickhouse.client)).ids.length).toBe(before);

    switchable.state.down = false;
    await eventually(async () => (await outboxSize(api.sql)) === 0, { timeoutMs: 60_000, what: "the outbox to drain after the outage" });
    await relay.stop();
    const stored = await storedEvents(clickhouse.client);
    expect(stored.ids.length).toBe(before + 300);
    for (const id of written.ids) expect(stored.ids).toContain(id);
    expect(switchable.state.refusedInserts).toBeGreaterThanOrEqual(2);
  });

  it("a poison event is dead-lettered with its reason while the events around it flow", async () => {
    const before = (await storedEvents(clickhouse.client)).ids.length;
    const first = await writeSyntheticEvents(api.db, { conversations: 3, perConversation: 2 });
    const poisonId = "019a0000-0000-7000-8000-00000000dead";
    const poison = { id: poisonId, type: "message.received", version: 1, occurred_at: "2026-03-02T15:00:00.000Z", tenant_id: "019a0000-0000-7000-8000-000000000001",
      conversation_id: null, channel_id: null, contact_id: null, agent_id: null, team_id: null, payload: { cycle: 0, kind: "text" } };
    await api.sql`INSERT INTO outbox (id, tenant_id, type, key, envelope) VALUES (${poisonId}, ${poison.tenant_id}, 'message.received', 'poison', ${JSON.stringify(poison)}::jsonb)`;
    const second = await writeSyntheticEvents(api.db, { conversations: 3, perConversation: 2 });
    const relay = startOutboxRelay({ sql: api.sql, bus: createInProcessBus(ingest), pollMs: 20 });
    await drained();
    await relay.stop();

    const stored = await storedEvents(clickhouse.client);
    expect(stored.ids.length).toBe(before + 12);
    for (const id of [...first.ids, ...second.ids]) expect(stored.ids).toContain(id);
    expect(stored.ids).not.toContain(poisonId);
    const letters = await deadLetters(clickhouse.client);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ step: "validate", event_id: poisonId, source: "embedded" });
    expect(letters[0]!.reason).toMatch(/payload/);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/centralita_ingest_dead_letters_total\{source="embedded",step="validate"\} 1/);
  });
});
