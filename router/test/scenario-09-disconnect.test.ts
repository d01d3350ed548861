import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents, types } from "./support/outbox.js";
import { conversationRow, jobsOf, MINUTE, ok } from "./support/automation.js";

describe("scenario 9: an agent disconnects mid-conversation", async () => {
  const api = await startHarness();
  const jobs = jobsOf(api);
  let phone = 5215500009000;
  const nextPhone = () => String(++phone);

  async function anaWithAChat() {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    for (const token of Object.values(t)) await ok(api, "POST", "/v1/agents/me/heartbeat", token, {});
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "Hola, quiero cotización");
    expect(conv.assignee_id).toBe(co.ana.id);
    await ok(api, "POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¡Hola! Claro que sí" });
    return { co, t, conv };
  }
  /** Everyone but Ana keeps the inbox open. */
  async function othersBeat(t: Record<string, string>) {
    for (const [who, token] of Object.entries(t)) if (who !== "ana") await ok(api, "POST", "/v1/agents/me/heartbeat", token, {});
  }

  it("no heartbeat for the timeout → away (disconnect); after the grace period her chat goes to a teammate", async () => {
    const { co, t, conv } = await anaWithAChat();
    api.clock.advance(60_000);
    await othersBeat(t);
    await jobs.run("presence");
    expect((await api.sql`SELECT presence FROM agents WHERE id = ${co.ana.id}`)[0]!.presence).toBe("online");

    api.clock.advance(31_000); // 91 s without Ana's heartbeat
    await othersBeat(t);
    await jobs.run("presence");
    await jobs.run("presence");
    const presence = ofType(await outboxEvents(api.sql, { agentId: co.ana.id }), "agent.presence_changed");
    expect(presence.map((e) => e.payload)).toEqual([{ from: "online", to: "away", source: "disconnect" }]);
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.ana.id); // grace period

    api.clock.advance(2 * MINUTE);
    await othersBeat(t);
    await jobs.run("presence");
    await jobs.run("presence");
    const row = await conversationRow(api, conv.id);
    expect(row.assignee_id).toBe(co.carlos.id);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events).slice(-2)).toEqual(["conversation.unassigned", "conversation.assigned"]);
    expect(events.at(-2)!.payload).toMatchObject({ previous_agent_id: co.ana.id, reason: "agent_offline" });
    expect(events.at(-1)!.payload).toMatchObject({ method: "reassign_timeout", previous_agent_id: null, to_agent_id: co.carlos.id });
    // Carlos can pick up where Ana left: the history is there, and new customers do not go to Ana.
    expect((await ok(api, "GET", `/v1/conversations/${conv.id}`, t.carlos)).messages.length).toBeGreaterThan(1);
  });

  it("idle past the timeout (the page open, nobody touching it) → away with source idle_timeout", async () => {
    const { co, t } = await anaWithAChat();
    for (let minute = 1; minute <= 10; minute++) {
      api.clock.advance(MINUTE);
      await othersBeat(t);
      const beat = await ok(api, "POST", "/v1/agents/me/heartbeat", t.ana, { idleSeconds: minute * 60 });
      expect(beat.presence).toBe("online");
      await jobs.run("presence");
    }
    const presence = ofType(await outboxEvents(api.sql, { agentId: co.ana.id }), "agent.presence_changed");
    expect(presence.map((e) => e.payload)).toEqual([{ from: "online", to: "away", source: "idle_timeout" }]);
    expect((await ok(api, "POST", "/v1/agents/me/heartbeat", t.ana, {})).presence).toBe("away");
  });

  it("an agent who comes back within the grace period keeps her chats", async () => {
    const { co, t, conv } = await anaWithAChat();
    api.clock.advance(2 * MINUTE);
    await othersBeat(t);
    await jobs.run("presence");
    expect((await api.sql`SELECT presence FROM agents WHERE id = ${co.ana.id}`)[0]!.presence).toBe("away");
    await ok(api, "PUT", `/v1/agents/${co.ana.id}/presence`, t.ana, { presence: "online" });
    await ok(api, "POST", "/v1/agents/me/heartbeat", t.ana, {});
    api.clock.advance(5 * MINUTE);
    await othersBeat(t);
    await ok(api, "POST", "/v1/agents/me/heartbeat", t.ana, {});
    await jobs.run("presence");
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.ana.id);
  });

  it("with nobody else available the chat returns to the queue, and the SLA escalates it to the supervisor", async () => {
    const { co, t, conv } = await anaWithAChat();
    await api.sql`UPDATE agents SET presence = 'offline' WHERE id IN ${api.sql([co.carlos.id, co.maria.id])}`;
    await customerWrites(api, co.channel.phoneNumberId, (await api.sql`SELECT k.phone FROM contacts k JOIN conversations c ON c.contact_id = k.id WHERE c.id = ${conv.id}`)[0]!.phone, "¿Sigues ahí?");
    for (let i = 0; i < 2; i++) { // away at 2 minutes, reassigned after the 2-minute grace
      api.clock.advance(2 * MINUTE);
      await ok(api, "POST", "/v1/agents/me/heartbeat", t.sofia, {});
      await jobs.run("presence");
    }
    expect((await conversationRow(api, conv.id)).assignee_id).toBeNull();
    api.clock.advance(6 * MINUTE);
    await ok(api, "POST", "/v1/agents/me/heartbeat", t.sofia, {});
    await jobs.all();
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.sofia.id);
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.escalated")[0]!.payload).toMatchObject({ from_agent_id: null, to_agent_id: co.sofia.id });
  });

  it("agents without a heartbeat (API integrations) are never set away; bad heartbeats are refused", async () => {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    api.clock.advance(60 * MINUTE);
    await jobs.run("presence");
    expect(ofType(await outboxEvents(api.sql, { agentId: co.pedro.id }), "agent.presence_changed")).toEqual([]);
    for (const body of [{ idleSeconds: -1 }, { idleSeconds: 1.5 }, { idleSeconds: "10" }, { other: 1 }, []]) {
      const res = await api.call("POST", "/v1/agents/me/heartbeat", t.pedro, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    expect((await api.sql`SELECT count(*)::int AS n FROM agent_activity WHERE agent_id = ${co.pedro.id}`)[0]!.n).toBe(0);
  });
});
