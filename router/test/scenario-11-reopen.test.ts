import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents, types } from "./support/outbox.js";

const DAY = 24 * 3600 * 1000;

describe("scenario 11: reopen within the window", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  let t = await loginAll(api, co);

  async function resolvedByAna(phone: string) {
    t = await loginAll(api, co); // the clock moves days between tests: sessions expire

    await api.sql`UPDATE agents SET presence = CASE WHEN id = ${co.ana.id} THEN 'online'::agent_presence ELSE 'offline'::agent_presence END WHERE tenant_id = ${co.tenantId}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, phone, "quiero una cotización");
    expect(conv.assignee_id).toBe(co.ana.id);
    expect((await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "Con gusto" })).status).toBe(200);
    expect((await api.call("POST", `/v1/conversations/${conv.id}/resolve`, t.ana, { outcome: "resolved" })).status).toBe(200);
    await api.sql`UPDATE agents SET presence = 'online' WHERE tenant_id = ${co.tenantId}`;
    return conv;
  }

  it("a message 6 days later reopens the same conversation as its next cycle, counted for Ana", async () => {
    const first = await resolvedByAna("5215500001101");
    const resolvedAt = api.clock.now();
    api.clock.advance(6 * DAY);
    const again = await customerWrites(api, co.channel.phoneNumberId, "5215500001101", "Otra pregunta");
    expect(again.id).toBe(first.id);
    expect(again.cycle).toBe(2);
    expect(again.status).toBe("open");
    // Sticky: back to the agent who resolved it, since she is online with room.
    expect(again.assignee_id).toBe(co.ana.id);
    const events = await outboxEvents(api.sql, { conversationId: first.id });
    const reopened = events.find((e) => e.type === "conversation.reopened")!;
    expect(reopened.payload).toEqual({ cycle: 2, reopened_by: "customer", previous_resolved_at: resolvedAt.toISOString(), previous_resolved_by_agent_id: co.ana.id });
    expect(events.filter((e) => e.type === "conversation.assigned").at(-1)!.payload).toMatchObject({ cycle: 2, method: "sticky" });
  });

  it("a message 8 days later starts a new conversation", async () => {
    const first = await resolvedByAna("5215500001102");
    api.clock.advance(8 * DAY);
    const next = await customerWrites(api, co.channel.phoneNumberId, "5215500001102", "Hola de nuevo");
    expect(next.id).not.toBe(first.id);
    expect(next.cycle).toBe(1);
    const events = await outboxEvents(api.sql, { conversationId: next.id });
    expect(types(events)[0]).toBe("conversation.opened");
    expect(events[0]!.payload).toMatchObject({ is_new_contact: false });
  });

  it("an agent can reopen a resolved conversation and takes it", async () => {
    const first = await resolvedByAna("5215500001103");
    const res = await api.call("POST", `/v1/conversations/${first.id}/reopen`, t.ana);
    expect(res.status).toBe(200);
    const [row] = await api.sql`SELECT status, cycle, assignee_id FROM conversations WHERE id = ${first.id}`;
    expect(row).toMatchObject({ status: "open", cycle: 2, assignee_id: co.ana.id });
    const again = await api.call("POST", `/v1/conversations/${first.id}/reopen`, t.ana);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("conversation_not_resolved");
  });
});
