import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents, types } from "./support/outbox.js";

describe("scenario 5: manual team", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
  const t = await loginAll(api, co);

  it("new chats wait in the supervisor's queue until a supervisor assigns them", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500000101", "quiero comprar");
    expect(conv.assignee_id).toBeNull();
    const queue = await api.call("GET", "/v1/conversations?view=unassigned", t.sofia);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toContain(conv.id);

    const byAgent = await api.call("POST", `/v1/conversations/${conv.id}/assign`, t.ana, { agentId: co.ana.id });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.error.code).toBe("forbidden");

    const assigned = await api.call("POST", `/v1/conversations/${conv.id}/assign`, t.sofia, { agentId: co.maria.id });
    expect(assigned.status).toBe(200);
    const [row] = await api.sql`SELECT assignee_id FROM conversations WHERE id = ${conv.id}`;
    expect(row!.assignee_id).toBe(co.maria.id);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events)).toEqual(["conversation.opened", "message.received", "conversation.assigned"]);
    expect(events[2]!.payload).toMatchObject({ method: "manual", to_agent_id: co.maria.id, previous_agent_id: null });
  });

  it("a supervisor cannot assign beyond the agent's capacity", async () => {
    await api.sql`UPDATE agents SET capacity = 0 WHERE id = ${co.pedro.id}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500000102", "hola");
    const res = await api.call("POST", `/v1/conversations/${conv.id}/assign`, t.sofia, { agentId: co.pedro.id });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("agent_at_capacity");
    const [row] = await api.sql`SELECT assignee_id FROM conversations WHERE id = ${conv.id}`;
    expect(row!.assignee_id).toBeNull();
  });
});
