import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";

describe("scenario 13: the customer never sees who answers unless the agent signs; notes never reach WhatsApp", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const t = await loginAll(api, co);

  it("queues unsigned replies as they are, signed ones with the agent's name, and never a note", async () => {
    await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id <> ${co.ana.id}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500001301", "hola");
    expect(conv.assignee_id).toBe(co.ana.id);
    await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "Buenas tardes, ¿en qué le ayudo?" });
    await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "Le atiende Ana", sign: true });
    const note = await api.call("POST", `/v1/conversations/${conv.id}/notes`, t.ana, { text: "Cliente VIP, no ofrecer descuento" });
    expect(note.status).toBe(200);
    const outbound = await api.sql`SELECT body FROM messages WHERE conversation_id = ${conv.id} AND direction = 'outbound' ORDER BY created_at, id`;
    expect(outbound.map((m) => m.body)).toEqual(["Buenas tardes, ¿en qué le ayudo?", "*Ana*\nLe atiende Ana"]);
    const detail = await api.call("GET", `/v1/conversations/${conv.id}`, t.ana);
    expect(detail.body.notes.map((n: { body: string }) => n.body)).toEqual(["Cliente VIP, no ofrecer descuento"]);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    const serialized = JSON.stringify(events);
    for (const secret of ["Cliente VIP", "Buenas tardes", "hola", "5215500001301"]) expect(serialized).not.toContain(secret);
    expect(events.find((e) => e.type === "note.added")!.payload).toMatchObject({ length: "Cliente VIP, no ofrecer descuento".length });
  });
});

describe("scenario 14: agents see their own queue; supervisors see everything of their teams", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const t = await loginAll(api, co);
  await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id NOT IN (${co.ana.id}, ${co.carlos.id})`;
  const anas = await customerWrites(api, co.channel.phoneNumberId, "5215500001401", "hola");
  const carlos = await customerWrites(api, co.channel.phoneNumberId, "5215500001402", "hola");
  const ids = async (token: string, view = "all") => (await api.call("GET", `/v1/conversations?view=${view}`, token)).body.items.map((i: { id: string }) => i.id).sort();

  it("with 'agents see all' off, an agent sees only his own chats and the team queue", async () => {
    expect([anas.assignee_id, carlos.assignee_id]).toEqual([co.ana.id, co.carlos.id]);
    expect(await ids(t.ana)).toEqual([anas.id]);
    expect((await api.call("GET", `/v1/conversations/${carlos.id}`, t.ana)).status).toBe(404);
    expect(await ids(t.sofia)).toEqual([anas.id, carlos.id].sort());
    expect(await ids(t.lucia)).toEqual([]);
  });

  it("with 'agents see all' on, agents of that team see all its conversations but still cannot act on them", async () => {
    await api.sql`UPDATE teams SET agents_see_all = true WHERE id = ${co.ventas.id}`;
    const ana = await api.call("POST", "/v1/auth/login", undefined, { email: co.ana.email, password: "contraseña-segura-123" });
    expect(await ids(ana.body.token)).toEqual([anas.id, carlos.id].sort());
    expect((await api.call("GET", `/v1/conversations/${carlos.id}`, ana.body.token)).status).toBe(200);
    const act = await api.call("POST", `/v1/conversations/${carlos.id}/resolve`, ana.body.token, { outcome: "resolved" });
    expect(act.status).toBe(409);
    expect(act.body.error.code).toBe("not_assignee");
    expect(await ids(t.lucia)).toEqual([]);
  });

  it("counts per view follow the same scope", async () => {
    const counts = await api.call("GET", "/v1/conversations/counts", t.sofia);
    expect(counts.body).toMatchObject({ mine: 0, all: 2, unassigned: 0 });
  });
});
