import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";

describe("scenario 7: no stepping on each other", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db, { ventas: { strategy: "manual" }, capacity: 20 });
  const t = await loginAll(api, co);

  it("two agents claim the same chat at the same instant: exactly one wins, the other is told who has it", async () => {
    for (let round = 0; round < 10; round++) {
      const conv = await customerWrites(api, co.channel.phoneNumberId, `52155000020${round}`, "hola");
      const [a, b] = await Promise.all([
        api.call("POST", `/v1/conversations/${conv.id}/claim`, t.ana),
        api.call("POST", `/v1/conversations/${conv.id}/claim`, t.carlos),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      const winnerName = a.status === 200 ? "Ana" : "Carlos";
      expect(loser.body.error.code).toBe("already_assigned");
      expect(loser.body.error.message).toBe(`Already taken by ${winnerName}`);
      expect(loser.body.error.details.assignee.name).toBe(winnerName);
      const claims = (await outboxEvents(api.sql, { conversationId: conv.id })).filter((e) => e.type === "conversation.assigned");
      expect(claims).toHaveLength(1);
      const stints = await api.sql`SELECT agent_id FROM assignments WHERE conversation_id = ${conv.id} AND ended_at IS NULL`;
      expect(stints).toHaveLength(1);
    }
  });

  it("an agent cannot reply to a chat assigned to someone else; a supervisor can, and can take it over", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500000299", "hola");
    expect((await api.call("POST", `/v1/conversations/${conv.id}/claim`, t.ana)).status).toBe(200);

    const intruder = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.carlos, { text: "Yo te ayudo" });
    expect(intruder.status).toBe(409);
    expect(intruder.body.error).toMatchObject({ code: "not_assignee", message: "This conversation is assigned to Ana" });
    const agentTakeover = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.carlos, { text: "Yo te ayudo", takeover: true });
    expect(agentTakeover.status).toBe(403);

    const supervisorReply = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.sofia, { text: "Hola, soy la supervisora" });
    expect(supervisorReply.status).toBe(200);
    const takeover = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.sofia, { text: "Yo sigo desde aquí", takeover: true });
    expect(takeover.status).toBe(200);
    const [row] = await api.sql`SELECT assignee_id FROM conversations WHERE id = ${conv.id}`;
    expect(row!.assignee_id).toBe(co.sofia.id);
    const sent = await api.sql`SELECT body, agent_id FROM messages WHERE conversation_id = ${conv.id} AND direction = 'outbound' ORDER BY created_at, id`;
    expect(sent.map((m) => m.body)).toEqual(["Hola, soy la supervisora", "Yo sigo desde aquí"]);
    expect(sent.every((m) => m.agent_id === co.sofia.id)).toBe(true);
  });

  it("an unassigned chat must be claimed before replying", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500000298", "hola");
    const res = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "hola" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("not_assignee");
    const [{ n }] = await api.sql`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conv.id} AND direction = 'outbound'` as any;
    expect(n).toBe(0);
  });
});
