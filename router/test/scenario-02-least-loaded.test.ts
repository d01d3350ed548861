import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";

describe("scenario 2: least loaded", async () => {
  const api = await startHarness();

  async function giveChats(co: Awaited<ReturnType<typeof seedCompany>>, agentId: string, n: number, prefix: string) {
    // Load is built through the product: customers write while only this agent is online in Ventas.
    await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId}`;
    await api.sql`UPDATE agents SET presence = 'online' WHERE id = ${agentId}`;
    for (let i = 0; i < n; i++) await customerWrites(api, co.channel.phoneNumberId, `${prefix}${i}`, "Hola");
  }

  it("gives the new chat to the agent with fewest active chats (Ana 5, Carlos 2, María 4 → Carlos)", async () => {
    const co = await seedCompany(api.db, { ventas: { strategy: "least_loaded" }, capacity: 10 });
    await giveChats(co, co.ana.id, 5, "5215500000");
    await giveChats(co, co.carlos.id, 2, "5215510000");
    await giveChats(co, co.maria.id, 4, "5215520000");
    await api.sql`UPDATE agents SET presence = 'online' WHERE tenant_id = ${co.tenantId}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215599999999", "Hola, información por favor");
    expect(conv.assignee_id).toBe(co.carlos.id);
    const assigned = (await outboxEvents(api.sql, { conversationId: conv.id })).find((e) => e.type === "conversation.assigned");
    expect(assigned?.payload).toMatchObject({ method: "least_loaded", to_agent_id: co.carlos.id, strategy: "least_loaded" });
  });

  it("breaks a tie in favour of the agent idle the longest", async () => {
    const co = await seedCompany(api.db, { ventas: { strategy: "least_loaded" }, capacity: 10 });
    // Each gets one chat; María's came first, so she has been idle the longest.
    await giveChats(co, co.maria.id, 1, "5215530000");
    api.clock.advance(60_000);
    await giveChats(co, co.ana.id, 1, "5215540000");
    api.clock.advance(60_000);
    await giveChats(co, co.carlos.id, 1, "5215550000");
    await api.sql`UPDATE agents SET presence = 'online' WHERE tenant_id = ${co.tenantId}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215598888888", "Hola");
    expect(conv.assignee_id).toBe(co.maria.id);
  });

  it("counts only active chats: resolved ones free the agent", async () => {
    const co = await seedCompany(api.db, { ventas: { strategy: "least_loaded" }, capacity: 10 });
    await giveChats(co, co.ana.id, 3, "5215560000");
    await giveChats(co, co.carlos.id, 2, "5215570000");
    await api.sql`UPDATE conversations SET status = 'resolved', resolved_at = now(), assignee_id = NULL WHERE assignee_id = ${co.ana.id}`;
    await api.sql`UPDATE agents SET presence = 'online' WHERE id IN (${co.ana.id}, ${co.carlos.id})`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215597777777", "Hola");
    expect(conv.assignee_id).toBe(co.ana.id);
  });
});
