import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { automatedMessages, conversationRow, jobsOf, ok } from "./support/automation.js";

const HOUR = 3600_000;

describe("pending conversations expire", async () => {
  const api = await startHarness();
  const jobs = jobsOf(api);
  const co = await seedCompany(api.db, { capacity: 1 });
  let t = await loginAll(api, co);
  let phone = 5215500030000;
  await ok(api, "PATCH", "/v1/workspace/automation", t.admin, { csatEnabled: true });

  /** Ana answers and sets the conversation pending (waiting on the customer). */
  async function pendingWithAna() {
    await api.sql`UPDATE agents SET presence = CASE WHEN id = ${co.ana.id} THEN 'online'::agent_presence ELSE 'offline'::agent_presence END WHERE tenant_id = ${co.tenantId}`;
    t = await loginAll(api, co);
    const conv = await customerWrites(api, co.channel.phoneNumberId, String(++phone), "¿Tienen el modelo Y?");
    expect(conv.assignee_id).toBe(co.ana.id);
    await ok(api, "POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "Sí, ¿te paso precio?" });
    await ok(api, "POST", `/v1/conversations/${conv.id}/status`, t.ana, { status: "pending" });
    return conv;
  }

  it("after 24 h without a reply it is resolved as expired by automation, once, with no survey, and Ana's seat is reused", async () => {
    const conv = await pendingWithAna();
    const waiting = await customerWrites(api, co.channel.phoneNumberId, String(++phone), "hola"); // Ana is full (capacity 1)
    expect(waiting.assignee_id).toBeNull();
    api.clock.advance(23 * HOUR);
    await jobs.run("expiry");
    expect((await conversationRow(api, conv.id)).status).toBe("pending");
    api.clock.advance(HOUR);
    await jobs.run("expiry");
    await jobs.run("expiry");
    expect(await conversationRow(api, conv.id)).toMatchObject({ status: "resolved", outcome: "expired", assignee_id: null });
    const resolved = ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "conversation.resolved");
    expect(resolved.map((e) => e.payload)).toEqual([{
      cycle: 1, outcome: "expired", deal_value: null, currency: null, loss_reason: null, resolved_by: "automation", assignee_agent_id: co.ana.id,
    }]);
    expect(await automatedMessages(api, conv.id)).toEqual([]);
    expect((await conversationRow(api, waiting.id)).assignee_id).toBe(co.ana.id);
  });

  it("a customer reply restarts the clock; the workspace's expiry time applies", async () => {
    await api.sql`UPDATE conversations SET status = 'resolved' WHERE tenant_id = ${co.tenantId} AND status <> 'resolved'`;
    const conv = await pendingWithAna();
    api.clock.advance(20 * HOUR);
    await customerWrites(api, co.channel.phoneNumberId, String(phone), "déjame pensarlo");
    t = await loginAll(api, co); // sessions last 12 h
    await ok(api, "POST", `/v1/conversations/${conv.id}/status`, t.ana, { status: "pending" });
    api.clock.advance(20 * HOUR);
    await jobs.run("expiry");
    expect((await conversationRow(api, conv.id)).status).toBe("pending");
    await ok(api, "PATCH", "/v1/workspace/automation", (await loginAll(api, co)).admin, { pendingExpirySeconds: 12 * 3600 });
    await jobs.run("expiry");
    expect((await conversationRow(api, conv.id)).outcome).toBe("expired");
  });
});
