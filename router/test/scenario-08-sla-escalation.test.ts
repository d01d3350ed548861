import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { conversationRow, jobsOf, MINUTE, ok } from "./support/automation.js";

describe("scenario 8: unanswered for 5 minutes → alert; 10 minutes → escalation", async () => {
  const api = await startHarness();
  const jobs = jobsOf(api);
  let phone = 5215500008000;
  const nextPhone = () => String(++phone);

  /** A fresh company per test, so round robin and loads start clean; Ana gets the first chat. */
  async function setup(opts: Parameters<typeof seedCompany>[1] = {}) {
    const co = await seedCompany(api.db, opts);
    const t = await loginAll(api, co);
    return { co, t };
  }

  it("alerts Ana and her supervisor at 5 minutes with one sla.breached, then escalates to the next agent at 10", async () => {
    const { co, t } = await setup();
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "Hola, quiero cotización");
    expect(conv.assignee_id).toBe(co.ana.id);

    api.clock.advance(4 * MINUTE + 59_000);
    await jobs.run("sla");
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.breached")).toHaveLength(0);

    api.clock.advance(1000);
    await jobs.run("sla");
    await jobs.run("sla");
    let events = await outboxEvents(api.sql, { conversationId: conv.id });
    const breached = ofType(events, "sla.breached");
    expect(breached).toHaveLength(1);
    expect(breached[0]!.payload).toEqual({ cycle: 1, target_seconds: 300, waited_seconds: 300 });
    expect(breached[0]!.agent_id).toBe(co.ana.id);

    const mine = await ok(api, "GET", "/v1/alerts", t.ana);
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ kind: "sla_breached", conversationId: conv.id, agentId: co.ana.id, details: { targetSeconds: 300, firstResponse: true } });
    expect((await ok(api, "GET", "/v1/alerts", t.sofia)).items.map((a: { conversationId: string }) => a.conversationId)).toEqual([conv.id]);
    expect((await ok(api, "GET", "/v1/alerts", t.carlos)).items).toEqual([]);
    expect((await ok(api, "GET", "/v1/alerts", t.lucia)).items).toEqual([]);

    api.clock.advance(5 * MINUTE);
    await jobs.run("sla");
    await jobs.run("sla");
    events = await outboxEvents(api.sql, { conversationId: conv.id });
    const escalated = ofType(events, "sla.escalated");
    expect(escalated).toHaveLength(1);
    expect(escalated[0]!.payload).toEqual({ cycle: 1, from_agent_id: co.ana.id, to_agent_id: co.carlos.id, rule: "step 1: reassign after 600s" });
    const assigned = ofType(events, "conversation.assigned").at(-1)!;
    expect(assigned.payload).toMatchObject({ method: "escalation", previous_agent_id: co.ana.id, to_agent_id: co.carlos.id });
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.carlos.id);

    const carlosAlerts = await ok(api, "GET", "/v1/alerts", t.carlos);
    expect(carlosAlerts.items).toHaveLength(1);
    expect(carlosAlerts.items[0]).toMatchObject({ kind: "escalated", agentId: co.carlos.id, details: { fromAgentId: co.ana.id, toAgentId: co.carlos.id } });
    const forSofia = await ok(api, "GET", "/v1/alerts", t.sofia);
    expect(forSofia.items.map((a: { kind: string }) => a.kind)).toEqual(["escalated", "sla_breached"]);
    const newer = await ok(api, "GET", `/v1/alerts?after=${forSofia.items[1].id}`, t.sofia);
    expect(newer.items.map((a: { kind: string }) => a.kind)).toEqual(["escalated"]);
  });

  it("escalates to a supervisor when no agent is available", async () => {
    const { co } = await setup();
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "hola");
    await api.sql`UPDATE agents SET presence = 'offline' WHERE id IN ${api.sql([co.carlos.id, co.maria.id])}`;
    api.clock.advance(10 * MINUTE);
    await jobs.run("sla");
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.breached")).toHaveLength(1);
    expect(ofType(events, "sla.escalated")[0]!.payload).toMatchObject({ from_agent_id: co.ana.id, to_agent_id: co.sofia.id });
    expect(ofType(events, "conversation.assigned").at(-1)!.payload).toMatchObject({ method: "escalation", to_agent_id: co.sofia.id });
  });

  it("a reply in time stops the clock; a later wait alerts again but sla.breached stays once per cycle", async () => {
    const { co, t } = await setup();
    const from = nextPhone();
    const conv = await customerWrites(api, co.channel.phoneNumberId, from, "hola");
    api.clock.advance(4 * MINUTE);
    await ok(api, "POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¡Hola! ¿En qué te ayudo?" });
    api.clock.advance(20 * MINUTE);
    await jobs.run("sla");
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.breached")).toHaveLength(0);

    await customerWrites(api, co.channel.phoneNumberId, from, "¿Hacen envíos a Monterrey?");
    api.clock.advance(6 * MINUTE);
    await jobs.run("sla");
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.breached")).toHaveLength(0);
    const alerts = await ok(api, "GET", "/v1/alerts", t.ana);
    expect(alerts.items.filter((a: { conversationId: string }) => a.conversationId === conv.id)).toHaveLength(1);
    expect(alerts.items[0].details).toMatchObject({ firstResponse: false, waitedSeconds: 360 });
  });

  it("uses the team's target and its own ladder, and catches up after downtime", async () => {
    const { co, t } = await setup({ ventas: { firstResponseTargetSeconds: 120 } });
    const res = await api.call("PATCH", `/v1/teams/${co.ventas.id}/automation`, t.admin, {
      escalationSteps: [{ afterSeconds: 180, action: "alert" }, { afterSeconds: 300, action: "supervisor" }],
    });
    expect(res.status).toBe(200);
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "hola");
    // The router was down for 4 minutes: the first run alerts (target 2 min) and takes step 1 at once.
    api.clock.advance(4 * MINUTE);
    await jobs.run("sla");
    let events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.breached")[0]!.payload).toMatchObject({ target_seconds: 120, waited_seconds: 240 });
    expect(ofType(events, "sla.escalated").map((e) => e.payload)).toEqual([
      { cycle: 1, from_agent_id: co.ana.id, to_agent_id: null, rule: "step 1: alert after 180s" },
    ]);
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.ana.id);
    api.clock.advance(MINUTE);
    await jobs.run("sla");
    await jobs.run("sla");
    events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.escalated").map((e) => e.payload.to_agent_id)).toEqual([null, co.sofia.id]);
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.sofia.id);
  });

  it("refuses bad settings and bad alert queries with invalid_input", async () => {
    const { co, t } = await setup();
    const bad = [
      { escalationSteps: [{ afterSeconds: 600, action: "reassign" }, { afterSeconds: 300, action: "alert" }] },
      { escalationSteps: [{ afterSeconds: 0, action: "alert" }] },
      { escalationSteps: [{ afterSeconds: 60, action: "page" }] },
      { csatEnabled: "yes" },
      {},
    ];
    for (const body of bad) {
      const res = await api.call("PATCH", `/v1/teams/${co.ventas.id}/automation`, t.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    for (const body of [{ pendingExpirySeconds: 10 }, { idleTimeoutSeconds: -1 }, { extra: true }]) {
      const res = await api.call("PATCH", "/v1/workspace/automation", t.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    for (const query of ["limit=0", "limit=abc", "after=not-a-uuid"]) {
      const res = await api.call("GET", `/v1/alerts?${query}`, t.ana);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    const [row] = await api.sql`SELECT count(*)::int AS n FROM team_automation WHERE team_id = ${co.ventas.id}`;
    expect(row!.n).toBe(0);
  });
});
