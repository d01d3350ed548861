import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents, types } from "./support/outbox.js";

const MIN = 60_000;

describe("the 9:00 workflow (scenario 6) through the router: state and outbox, event by event", async () => {
  const api = await startHarness(new Date("2026-03-02T15:00:00Z")); // 9:00 in Mexico City
  const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
  const t = await loginAll(api, co);

  it("Ana claims, replies, notes; transfers to Carlos with context; Carlos replies and hands back; Ana closes the sale", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112345678", "Hola, quiero cotización", "Roberto");
    const call = (token: string, path: string, body?: unknown) => api.call("POST", `/v1/conversations/${conv.id}${path}`, token, body);
    expect((await call(t.ana, "/claim")).status).toBe(200);
    api.clock.advance(1 * MIN);
    expect((await call(t.ana, "/messages", { text: "¡Hola Roberto! Con gusto le cotizo." })).status).toBe(200);
    api.clock.advance(4 * MIN);
    await customerWrites(api, co.channel.phoneNumberId, "5218112345678", "¿Hacen envíos a Monterrey?");
    expect((await call(t.ana, "/messages", { text: "Sí, enviamos a Monterrey en 3 días." })).status).toBe(200);
    expect((await call(t.ana, "/notes", { text: "Lead de Monterrey, interesado en producto Y" })).status).toBe(200);
    expect((await call(t.ana, "/tags", { tag: "quoted" })).status).toBe(200);
    api.clock.advance(10 * MIN);
    await customerWrites(api, co.channel.phoneNumberId, "5218112345678", "Por cierto, tuve un problema con un pedido anterior");
    const transfer = await call(t.ana, "/transfer", { toAgentId: co.carlos.id, toTeamId: co.soporte.id, reason: "Problema con pedido anterior", note: "Revisa el pedido 1234, luego me lo regresas" });
    expect(transfer.status).toBe(200);

    const seen = await api.call("GET", `/v1/conversations/${conv.id}`, t.carlos);
    expect(seen.status).toBe(200);
    expect(seen.body.assignee.name).toBe("Carlos");
    expect(seen.body.notes.map((n: { body: string }) => n.body)).toEqual(["Lead de Monterrey, interesado en producto Y", "Revisa el pedido 1234, luego me lo regresas"]);
    expect(seen.body.messages).toHaveLength(5);
    expect(seen.body.transfers[0]).toMatchObject({ fromAgent: { name: "Ana" }, toAgent: { name: "Carlos" }, reason: "Problema con pedido anterior" });
    // The chat now belongs to Soporte, which Ana is not in: she can neither read nor reply to it.
    expect((await call(t.ana, "/messages", { text: "hola" })).body.error?.code).toBe("not_found");

    api.clock.advance(2 * MIN);
    expect((await call(t.carlos, "/messages", { text: "Ya revisé su pedido, le enviamos la pieza faltante." })).status).toBe(200);
    api.clock.advance(13 * MIN);
    expect((await call(t.carlos, "/transfer", { toAgentId: co.ana.id, toTeamId: co.ventas.id, reason: "Problema resuelto" })).status).toBe(200);
    const won = await call(t.ana, "/resolve", { outcome: "won", dealValue: 15800, currency: "MXN" });
    expect(won.status).toBe(200);

    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events)).toEqual([
      "conversation.opened", "message.received",
      "conversation.assigned", "message.sent",
      "message.received", "message.sent", "note.added", "conversation.tagged",
      "message.received", "note.added", "conversation.transferred", "conversation.assigned",
      "message.sent",
      "conversation.transferred", "conversation.assigned",
      "conversation.resolved",
    ]);
    const byType = (type: Parameters<typeof ofType>[1]) => ofType(events, type);
    expect(ofType(events, "conversation.assigned").map((e) => [e.payload.method, e.agent_id])).toEqual([["claim", co.ana.id], ["manual", co.carlos.id], ["manual", co.ana.id]]);
    expect(ofType(events, "conversation.transferred").map((e) => [e.payload.from_agent_id, e.payload.to_agent_id])).toEqual([[co.ana.id, co.carlos.id], [co.carlos.id, co.ana.id]]);
    expect(byType("message.sent").map((e) => e.agent_id)).toEqual([co.ana.id, co.ana.id, co.carlos.id, ]);
    expect(byType("conversation.resolved")[0]!.payload).toMatchObject({ outcome: "won", deal_value: 15800, currency: "MXN", assignee_agent_id: co.ana.id, resolved_by: "agent" });
    expect(byType("message.sent")[0]!.occurred_at).toBe("2026-03-02T15:01:00.000Z");
    expect(events.every((e) => e.tenant_id === co.tenantId && e.conversation_id === conv.id)).toBe(true);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const text = JSON.stringify(events);
    for (const pii of ["Roberto", "Monterrey", "5218112345678", "pedido 1234"]) expect(text).not.toContain(pii);
  });

  it("bad input changes nothing and says why", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112340000", "hola");
    await api.call("POST", `/v1/conversations/${conv.id}/claim`, t.ana);
    const before = await api.sql`SELECT count(*)::int AS n FROM outbox`;
    const cases: Array<[string, unknown]> = [
      ["/resolve", { outcome: "won" }],
      ["/resolve", { outcome: "won", dealValue: -5, currency: "MXN" }],
      ["/resolve", { outcome: "lost" }],
      ["/resolve", { outcome: "maybe" }],
      ["/messages", { text: "   " }],
      ["/messages", { text: "x".repeat(5000) }],
      ["/transfer", {}],
      ["/transfer", { toAgentId: "not-a-uuid" }],
      ["/status", { status: "resolved" }],
      ["/tags", { tag: "<script>" }],
    ];
    for (const [path, body] of cases) {
      const res = await api.call("POST", `/v1/conversations/${conv.id}${path}`, t.ana, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }
    const malformed = await api.app.request(`/v1/conversations/${conv.id}/messages`, { method: "POST", headers: { authorization: `Bearer ${t.ana}`, "content-type": "application/json" }, body: "{not json" });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
    const unknownAgent = await api.call("POST", `/v1/conversations/${conv.id}/transfer`, t.ana, { toAgentId: "018f0000-0000-7000-8000-000000000000" });
    expect(unknownAgent.status).toBe(404);
    const after = await api.sql`SELECT count(*)::int AS n FROM outbox`;
    expect(after[0]!.n).toBe(before[0]!.n);
    const [row] = await api.sql`SELECT status, assignee_id FROM conversations WHERE id = ${conv.id}`;
    expect(row).toMatchObject({ status: "open", assignee_id: co.ana.id });
  });

  it("pending ↔ open, release to the queue, tag removal: one event each, none for no-ops", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112340001", "hola");
    const call = (path: string, body?: unknown, method = "POST") => api.call(method, `/v1/conversations/${conv.id}${path}`, t.ana, body);
    await call("/claim");
    expect((await call("/status", { status: "pending" })).status).toBe(200);
    expect((await call("/status", { status: "pending" })).status).toBe(200);
    await call("/tags", { tag: "lead" });
    expect((await call("/tags/lead", undefined, "DELETE")).status).toBe(200);
    await customerWrites(api, co.channel.phoneNumberId, "5218112340001", "¿sigue ahí?");
    expect((await call("/release")).status).toBe(200);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events).slice(3)).toEqual([
      "conversation.status_changed", "conversation.tagged", "conversation.tagged",
      "conversation.status_changed", "message.received", "conversation.unassigned",
    ]);
    expect(events[3]!.payload).toMatchObject({ from: "open", to: "pending" });
    expect(events[6]!.payload).toMatchObject({ from: "pending", to: "open" });
    expect(events.at(-1)!.payload).toMatchObject({ reason: "released", previous_agent_id: co.ana.id });
  });
});
