import { describe, expect, it } from "vitest";
import { startHarness, type Api } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { inboundWebhook } from "./support/whatsapp.js";
import { outboxEvents } from "./support/outbox.js";

/** Invariant 1, checked straight on the tables: one owner per conversation, nobody over capacity. */
async function expectInvariants(api: Api, tenantId: string) {
  const overCapacity = await api.sql`
    SELECT a.name, a.capacity, count(c.id)::int AS load FROM agents a
    JOIN conversations c ON c.assignee_id = a.id AND c.status <> 'resolved'
    WHERE a.tenant_id = ${tenantId} GROUP BY a.id HAVING count(c.id) > a.capacity`;
  expect(overCapacity).toEqual([]);
  const doubleStints = await api.sql`
    SELECT conversation_id FROM assignments WHERE tenant_id = ${tenantId} AND ended_at IS NULL AND agent_id IS NOT NULL
    GROUP BY conversation_id HAVING count(*) > 1`;
  expect(doubleStints).toEqual([]);
  const stintMismatch = await api.sql`
    SELECT c.id FROM conversations c
    LEFT JOIN assignments s ON s.conversation_id = c.id AND s.ended_at IS NULL AND s.agent_id IS NOT NULL
    WHERE c.tenant_id = ${tenantId} AND c.assignee_id IS DISTINCT FROM s.agent_id`;
  expect(stintMismatch).toEqual([]);
  const counterDrift = await api.sql`
    SELECT a.name, a.active_chats, (SELECT count(*)::int FROM conversations c WHERE c.assignee_id = a.id AND c.status <> 'resolved') AS actual
    FROM agents a WHERE a.tenant_id = ${tenantId}`;
  expect(counterDrift.filter((r) => r.active_chats !== r.actual)).toEqual([]);
  const twoLive = await api.sql`
    SELECT contact_id FROM conversations WHERE tenant_id = ${tenantId} AND status <> 'resolved' GROUP BY channel_id, contact_id HAVING count(*) > 1`;
  expect(twoLive).toEqual([]);
}

describe("concurrency invariants against a real Postgres", async () => {
  const api = await startHarness();

  it("400 concurrent webhooks (120 customers, retries included): one conversation each, each message once, capacity held", async () => {
    const co = await seedCompany(api.db, { capacity: 12 });
    const customers = Array.from({ length: 120 }, (_, i) => `52155${String(70000000 + i)}`);
    const sends: Array<Promise<{ status: number }>> = [];
    for (let round = 0; round < 3; round++) {
      for (const phone of customers) {
        const id = `wamid.${phone}.${round}`;
        sends.push(api.webhook(inboundWebhook([{ from: phone, id, text: `mensaje ${round}` }], co.channel.phoneNumberId)));
        // Meta retries: 40 of the messages arrive twice, concurrently.
        if (Number(phone.slice(-3)) % 3 === 0 && round === 1) sends.push(api.webhook(inboundWebhook([{ from: phone, id, text: `mensaje ${round}` }], co.channel.phoneNumberId)));
      }
    }
    const results = await Promise.all(sends);
    expect(sends.length).toBe(400);
    expect(results.every((r) => r.status === 200)).toBe(true);

    const [{ conversations, messages, assigned }] = await api.sql`
      SELECT (SELECT count(*)::int FROM conversations WHERE tenant_id = ${co.tenantId}) AS conversations,
             (SELECT count(*)::int FROM messages WHERE tenant_id = ${co.tenantId}) AS messages,
             (SELECT count(*)::int FROM conversations WHERE tenant_id = ${co.tenantId} AND assignee_id IS NOT NULL) AS assigned` as any;
    expect(conversations).toBe(120);
    expect(messages).toBe(360);
    // Ventas has Ana, Carlos and María with 12 seats each: 36 chats assigned, the other 84 wait in the queue.
    expect(assigned).toBe(36);
    await expectInvariants(api, co.tenantId);
    const events = await outboxEvents(api.sql, { tenantId: co.tenantId });
    expect(events.filter((e) => e.type === "conversation.opened")).toHaveLength(120);
    expect(events.filter((e) => e.type === "message.received")).toHaveLength(360);
    expect(events.filter((e) => e.type === "conversation.assigned")).toHaveLength(36);
  });

  it("350 concurrent claims by 7 people on 50 chats: each chat one owner, nobody over capacity, one event per win", async () => {
    const co = await seedCompany(api.db, { ventas: { strategy: "manual" }, capacity: 3 });
    const t = await loginAll(api, co);
    const convIds: string[] = [];
    for (let i = 0; i < 50; i++) {
      await api.webhook(inboundWebhook([{ from: `52155${80000000 + i}`, text: "hola" }], co.channel.phoneNumberId));
    }
    for (const r of await api.sql`SELECT id FROM conversations WHERE tenant_id = ${co.tenantId}`) convIds.push(r.id);
    await api.sql`INSERT INTO team_members (tenant_id, team_id, agent_id, position) SELECT ${co.tenantId}, ${co.ventas.id}, id, 10 FROM agents WHERE tenant_id = ${co.tenantId} ON CONFLICT DO NOTHING`;
    await api.sql`UPDATE agents SET capacity = 3 WHERE tenant_id = ${co.tenantId}`;
    const claimers = [t.ana, t.carlos, t.maria, t.pedro, t.lucia, t.sofia, t.admin];
    const claims = claimers.flatMap((token) => convIds.map((id) => api.call("POST", `/v1/conversations/${id}/claim`, token)));
    const results = await Promise.all(claims);
    const wins = results.filter((r) => r.status === 200).length;
    const refusals = results.filter((r) => r.status === 409).map((r) => r.body.error.code);
    expect(wins + refusals.length).toBe(results.length);
    expect(new Set(refusals)).toEqual(new Set(["already_assigned", "agent_at_capacity"]));
    // Seven claimers with three seats each fill 21 chats, never more.
    expect(wins).toBe(21);
    await expectInvariants(api, co.tenantId);
    const assignedEvents = (await outboxEvents(api.sql, { tenantId: co.tenantId })).filter((e) => e.type === "conversation.assigned");
    expect(assignedEvents).toHaveLength(21);
  });

  it("agents flapping online/offline while customers write and agents resolve: invariants hold", async () => {
    const co = await seedCompany(api.db, { capacity: 4, presence: "offline" });
    const t = await loginAll(api, co);
    const work: Array<Promise<unknown>> = [];
    for (let i = 0; i < 150; i++) {
      work.push(api.webhook(inboundWebhook([{ from: `52155${90000000 + (i % 60)}`, text: `hola ${i}` }], co.channel.phoneNumberId)));
      if (i % 10 === 0) {
        for (const [id, token] of [[co.ana.id, t.ana], [co.carlos.id, t.carlos], [co.maria.id, t.maria]] as const) {
          work.push(api.call("PUT", `/v1/agents/${id}/presence`, token, { presence: i % 20 === 0 ? "online" : "away" }));
        }
      }
    }
    await Promise.all(work);
    await expectInvariants(api, co.tenantId);
    // Resolve everything Ana holds concurrently with her coming back online (which drains the queue to her).
    const hers = await api.sql`SELECT id FROM conversations WHERE assignee_id = ${co.ana.id}`;
    await Promise.all([
      ...hers.map((r) => api.call("POST", `/v1/conversations/${r.id}/resolve`, t.ana, { outcome: "resolved" })),
      api.call("PUT", `/v1/agents/${co.ana.id}/presence`, t.ana, { presence: "online" }),
    ]);
    await expectInvariants(api, co.tenantId);
    const [{ waiting, anaLoad }] = await api.sql`
      SELECT (SELECT count(*)::int FROM conversations WHERE tenant_id = ${co.tenantId} AND assignee_id IS NULL AND status = 'open') AS waiting,
             (SELECT count(*)::int FROM conversations WHERE assignee_id = ${co.ana.id} AND status <> 'resolved') AS "anaLoad"` as any;
    // Nobody is left waiting while Ana has a free seat.
    expect(waiting === 0 || anaLoad === 4).toBe(true);
  });
});
