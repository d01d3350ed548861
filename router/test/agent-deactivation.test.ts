import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";

describe("deactivating an agent hands his chats back to routing", async () => {
  const api = await startHarness();

  it("his open chats go to available teammates, each with an unassigned event; capacity edits ride in the same command", async () => {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id <> ${co.ana.id}`;
    const a = await customerWrites(api, co.channel.phoneNumberId, "5215500002001", "hola");
    const b = await customerWrites(api, co.channel.phoneNumberId, "5215500002002", "hola");
    expect([a.assignee_id, b.assignee_id]).toEqual([co.ana.id, co.ana.id]);
    await api.sql`UPDATE agents SET presence = 'online' WHERE id = ${co.carlos.id}`;

    const res = await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.admin, { active: false, capacity: 2 });
    expect(res.status).toBe(200);
    const rows = await api.sql`SELECT id, assignee_id FROM conversations WHERE id IN (${a.id}, ${b.id}) ORDER BY id`;
    expect(rows.every((r) => r.assignee_id === co.carlos.id)).toBe(true);
    for (const id of [a.id, b.id]) {
      const events = await outboxEvents(api.sql, { conversationId: id });
      expect(ofType(events, "conversation.unassigned").map((e) => e.payload)).toEqual([{ cycle: 1, previous_agent_id: co.ana.id, reason: "agent_deactivated" }]);
      expect(ofType(events, "conversation.assigned").at(-1)!.payload).toMatchObject({ to_agent_id: co.carlos.id, previous_agent_id: null });
    }
    const agentEvents = await outboxEvents(api.sql, { agentId: co.ana.id });
    expect(ofType(agentEvents, "agent.capacity_changed").map((e) => e.payload)).toEqual([{ from: 5, to: 2 }]);
    expect((await api.call("GET", "/v1/me", t.ana)).status).toBe(401);
  });

  it("chats nobody can take wait in the team queue", async () => {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id <> ${co.maria.id}`;
    const a = await customerWrites(api, co.channel.phoneNumberId, "5215500002003", "hola");
    expect(a.assignee_id).toBe(co.maria.id);
    expect((await api.call("PATCH", `/v1/agents/${co.maria.id}`, t.admin, { active: false })).status).toBe(200);
    const [row] = await api.sql`SELECT assignee_id, status FROM conversations WHERE id = ${a.id}`;
    expect(row).toMatchObject({ assignee_id: null, status: "open" });
    const queue = await api.call("GET", "/v1/conversations?view=unassigned", t.sofia);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(a.id);
  });
});
