import { afterAll, describe, expect, inject, it } from "vitest";
import { startHarness, type Api } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { automatedMessages, customerChooses, MINUTE, ok } from "./support/automation.js";
import { connectDatabase } from "../src/db/index.js";
import { createRule } from "../src/domain/admin/workspace.js";
import { runAllJobs, type JobDeps } from "../src/sla/jobs.js";

/** A second "router instance": its own connection pool to the same database, the same clock. */
async function secondInstance(api: Api): Promise<JobDeps> {
  const [row] = await api.sql<{ name: string }[]>`SELECT current_database() AS name`;
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${row!.name}`;
  const handle = connectDatabase(url.toString(), { max: 10 });
  afterAll(() => handle.close());
  return { db: handle.db, clock: api.clock };
}

describe("two router instances running the automation jobs at once", async () => {
  // Monday 2 March 2026, 10:00 in Mexico City.
  const api = await startHarness(new Date("2026-03-02T16:00:00Z"));
  const instances: JobDeps[] = [api.deps, await secondInstance(api)];
  const co = await seedCompany(api.db);
  const t = await loginAll(api, co);

  /** Both instances run every job together, first without the job lock (row claims alone), then with it. */
  async function concurrentRounds() {
    for (const exclusive of [false, false, true]) await Promise.all(instances.map((deps) => runAllJobs(deps, { exclusive })));
  }
  const stillHere = ["ana", "maria", "pedro", "lucia", "sofia", "admin"] as const;
  async function heartbeats() {
    for (const who of stillHere) await ok(api, "POST", "/v1/agents/me/heartbeat", t[who], {});
  }

  it("every effect happens exactly once", async () => {
    await ok(api, "PATCH", "/v1/workspace/automation", t.admin, { csatEnabled: true });
    await createRule(api.db, co.tenantId, { kind: "keyword", pattern: "pedido", teamId: co.soporte.id });
    // Soporte keeps office hours and today is its holiday: closed.
    await api.sql`UPDATE teams SET business_hours = ${JSON.stringify({ 1: [["09:00", "18:00"]], 2: [["09:00", "18:00"]] })}::jsonb, holidays = '["2026-03-02"]'::jsonb WHERE id = ${co.soporte.id}`;
    await heartbeats();
    await ok(api, "POST", "/v1/agents/me/heartbeat", t.carlos, {});

    const unanswered = await customerWrites(api, co.channel.phoneNumberId, "5215500040001", "quiero cotización");
    const afterHours = await customerWrites(api, co.channel.phoneNumberId, "5215500040002", "problema con mi pedido");
    const pending = await customerWrites(api, co.channel.phoneNumberId, "5215500040003", "hola");
    const surveyed = await customerWrites(api, co.channel.phoneNumberId, "5215500040004", "hola");
    expect([unanswered.assignee_id, afterHours.assignee_id, pending.assignee_id, surveyed.assignee_id]).toEqual([co.ana.id, null, co.carlos.id, co.maria.id]);
    // The away message is set after the customer wrote, so only a job can send it.
    await api.sql`UPDATE teams SET away_message = 'Volvemos mañana a las 9' WHERE id = ${co.soporte.id}`;
    await ok(api, "POST", `/v1/conversations/${pending.id}/messages`, t.carlos, { text: "¿Algo más?" });
    await ok(api, "POST", `/v1/conversations/${pending.id}/status`, t.carlos, { status: "pending" });
    await ok(api, "POST", `/v1/conversations/${surveyed.id}/messages`, t.maria, { text: "Listo" });
    await ok(api, "POST", `/v1/conversations/${surveyed.id}/resolve`, t.maria, { outcome: "resolved" });
    await customerChooses(api, co.channel.phoneNumberId, "5215500040004", "csat_5", "5 - Excelente");

    // Carlos closed his laptop: no more heartbeats from him.
    for (const minutes of [1, 2, 3, 4, 5, 6, 10, 11]) {
      api.clock.set(new Date(Date.parse("2026-03-02T16:00:00Z") + minutes * MINUTE));
      await heartbeats();
      await concurrentRounds();
    }
    api.clock.advance(24 * 60 * MINUTE);
    await concurrentRounds();
    api.clock.advance(MINUTE);
    await concurrentRounds();

    const of = async (conversationId: string) => outboxEvents(api.sql, { conversationId });
    const a = await of(unanswered.id);
    expect(ofType(a, "sla.breached")).toHaveLength(1);
    expect(ofType(a, "sla.escalated")).toHaveLength(1);
    expect(ofType(a, "conversation.assigned").filter((e) => e.payload.method === "escalation")).toHaveLength(1);

    expect(await automatedMessages(api, afterHours.id)).toHaveLength(1);
    expect(ofType(await of(afterHours.id), "message.sent").filter((e) => e.payload.sender === "automation")).toHaveLength(1);

    const s = await of(surveyed.id);
    expect(ofType(s, "csat.requested")).toHaveLength(1);
    expect(ofType(s, "csat.submitted").map((e) => e.payload)).toEqual([{ cycle: 1, score: 5, comment_length: 0 }]);

    const carlos = ofType(await outboxEvents(api.sql, { agentId: co.carlos.id }), "agent.presence_changed");
    expect(carlos.map((e) => e.payload)).toEqual([{ from: "online", to: "away", source: "disconnect" }]);
    const p = await of(pending.id);
    expect(ofType(p, "conversation.unassigned").map((e) => e.payload.reason)).toEqual(["agent_offline"]);
    expect(ofType(p, "conversation.resolved").map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: "expired", resolved_by: "automation" })]);
  });
});
