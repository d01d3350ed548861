import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents, types } from "./support/outbox.js";

/**
 * A transfer to a team leaves the chat in that team's queue when nobody there can take it. The agent who had it no
 * longer has it, and the events must say so: analytics builds who held a chat, and until when, from them (handle time,
 * workload, time before transfer), and kept the chat on the transferring agent until its next assignment.
 */
describe("a transfer to a team", async () => {
  const api = await startHarness(new Date("2026-03-02T15:00:00Z"));
  const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
  const t = await loginAll(api, co);
  const call = (token: string, path: string, body?: unknown) => api.call("POST", path, token, body);

  it("to a queue nobody can take says the agent no longer has the chat", async () => {
    // Lucía, Administración's only member, is away.
    expect((await api.call("PUT", `/v1/agents/${co.lucia.id}/presence`, t.lucia, { presence: "away" })).status).toBe(200);
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112340101", "Necesito mi factura");
    expect((await call(t.ana, `/v1/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await call(t.ana, `/v1/conversations/${conv.id}/transfer`, { toTeamId: co.administracion.id, reason: "Facturación" })).status).toBe(200);

    const seen = await api.call("GET", `/v1/conversations/${conv.id}`, t.admin);
    expect(seen.body.assignee).toBeNull();
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events).slice(-3)).toEqual(["conversation.assigned", "conversation.transferred", "conversation.unassigned"]);
    const [unassigned] = ofType(events, "conversation.unassigned");
    expect(unassigned!.payload).toEqual({ cycle: 1, previous_agent_id: co.ana.id, reason: "transfer" });
    expect(unassigned!).toMatchObject({ agent_id: co.ana.id, team_id: co.administracion.id });
    expect(unassigned!.occurred_at).toBe(ofType(events, "conversation.transferred")[0]!.occurred_at);
  });

  it("to a team with someone available is that agent's assignment, and no more", async () => {
    // Soporte: Carlos and Pedro, online; Ana hands a chat over.
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112340102", "Tengo un problema con mi pedido");
    expect((await call(t.ana, `/v1/conversations/${conv.id}/claim`)).status).toBe(200);
    expect((await call(t.ana, `/v1/conversations/${conv.id}/transfer`, { toTeamId: co.soporte.id })).status).toBe(200);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events).slice(-2)).toEqual(["conversation.transferred", "conversation.assigned"]);
    expect([co.carlos.id, co.pedro.id]).toContain(ofType(events, "conversation.assigned").at(-1)!.payload.to_agent_id);
    expect(ofType(events, "conversation.unassigned")).toEqual([]);
  });
});
