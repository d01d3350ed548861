import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents, types } from "./support/outbox.js";
import { automatedMessages, conversationRow, customerChooses, jobsOf, MINUTE, ok } from "./support/automation.js";

describe("CSAT on resolve", async () => {
  const api = await startHarness();
  const jobs = jobsOf(api);
  const co = await seedCompany(api.db);
  let t = await loginAll(api, co);
  let phone = 5215500020000;
  await ok(api, "PATCH", "/v1/workspace/automation", t.admin, { csatEnabled: true });

  /** The assignee answers a new customer and resolves; returns the conversation and the customer's number. */
  async function resolvedByAgent(outcome: Record<string, unknown> = { outcome: "resolved" }) {
    const from = String(++phone);
    const conv = await customerWrites(api, co.channel.phoneNumberId, from, "Hola, quiero cotización");
    const token = { [co.ana.id]: t.ana, [co.carlos.id]: t.carlos, [co.maria.id]: t.maria }[conv.assignee_id!]!;
    await ok(api, "POST", `/v1/conversations/${conv.id}/messages`, token, { text: "Con gusto" });
    await ok(api, "POST", `/v1/conversations/${conv.id}/resolve`, token, outcome);
    return { conv, from };
  }

  it("asks for a 1–5 rating with an interactive list once, in the resolve", async () => {
    const { conv } = await resolvedByAgent({ outcome: "won", dealValue: 1200, currency: "MXN" });
    const survey = await automatedMessages(api, conv.id);
    expect(survey).toHaveLength(1);
    expect(survey[0]).toMatchObject({ kind: "interactive", status: "queued", cycle: 1 });
    expect(survey[0]!.payload.interactive.type).toBe("list");
    expect(survey[0]!.payload.interactive.action.sections[0].rows.map((r: { id: string }) => r.id)).toEqual(["csat_1", "csat_2", "csat_3", "csat_4", "csat_5"]);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events).slice(-3)).toEqual(["conversation.resolved", "message.sent", "csat.requested"]);
    expect(ofType(events, "message.sent").at(-1)).toMatchObject({ agent_id: null, payload: { sender: "automation", kind: "interactive" } });
    expect(ofType(events, "csat.requested")[0]).toMatchObject({ agent_id: conv.assignee_id, payload: { cycle: 1 } });
  });

  it("records the choice without reopening or routing, and the comment that follows", async () => {
    const { conv, from } = await resolvedByAgent();
    api.clock.advance(MINUTE);
    await customerChooses(api, co.channel.phoneNumberId, from, "csat_4", "4 - Buena");
    api.clock.advance(MINUTE);
    await customerWrites(api, co.channel.phoneNumberId, from, "Muy amables");
    expect(await conversationRow(api, conv.id)).toMatchObject({ status: "resolved", cycle: 1, assignee_id: null, waiting_since: null });
    const [count] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${from}`;
    expect(count!.n).toBe(1);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(types(events)).not.toContain("conversation.reopened");
    expect(types(events).slice(-1)).toEqual(["csat.submitted"]);
    expect(ofType(events, "csat.submitted")[0]).toMatchObject({ agent_id: conv.assignee_id, payload: { cycle: 1, score: 4, comment_length: "Muy amables".length } });
    const stored = await api.sql`SELECT kind, body, cycle FROM messages WHERE conversation_id = ${conv.id} AND sender = 'customer' ORDER BY created_at`;
    expect(stored.map((m) => m.body)).toEqual(["Hola, quiero cotización", "4 - Buena", "Muy amables"]);
    api.clock.advance(20 * MINUTE);
    await jobs.run("csat");
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "csat.submitted")).toHaveLength(1);
  });

  it("without a comment, csat.submitted comes once the comment window passes; a second tap changes nothing", async () => {
    const { conv, from } = await resolvedByAgent();
    await customerChooses(api, co.channel.phoneNumberId, from, "csat_5", "5 - Excelente");
    await customerChooses(api, co.channel.phoneNumberId, from, "csat_1", "1 - Muy mala");
    api.clock.advance(9 * MINUTE);
    await jobs.run("csat");
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "csat.submitted")).toEqual([]);
    api.clock.advance(MINUTE);
    await jobs.run("csat");
    await jobs.run("csat");
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "csat.submitted").map((e) => e.payload))
      .toEqual([{ cycle: 1, score: 5, comment_length: 0 }]);
    // Later text is a new question again: it reopens the conversation as usual.
    const again = await customerWrites(api, co.channel.phoneNumberId, from, "Tengo otra duda");
    expect(again).toMatchObject({ id: conv.id, cycle: 2, status: "open" });
  });

  it("skips the survey when the team turns CSAT off or the 24-hour window has closed", async () => {
    await ok(api, "PATCH", `/v1/teams/${co.ventas.id}/automation`, t.admin, { csatEnabled: false });
    const off = await resolvedByAgent();
    expect(await automatedMessages(api, off.conv.id)).toEqual([]);
    await ok(api, "PATCH", `/v1/teams/${co.ventas.id}/automation`, t.admin, { csatEnabled: null });

    const from = String(++phone);
    const late = await customerWrites(api, co.channel.phoneNumberId, from, "hola");
    api.clock.advance(25 * 3600_000);
    t = await loginAll(api, co); // sessions last 12 h
    await ok(api, "POST", `/v1/conversations/${late.id}/resolve`, t.sofia, { outcome: "resolved" });
    expect(await automatedMessages(api, late.id)).toEqual([]);
    expect(ofType(await outboxEvents(api.sql, { conversationId: late.id }), "csat.requested")).toEqual([]);
    // A survey choice with no survey to answer is an ordinary message.
    const stray = await customerChooses(api, co.channel.phoneNumberId, from, "csat_3", "3 - Regular");
    expect(stray.stored).toBe(1);
    expect((await conversationRow(api, late.id)).status).toBe("open");
  });

  it("refuses a bad CSAT setting", async () => {
    const res = await api.call("PATCH", "/v1/workspace/automation", t.admin, { csatEnabled: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect((await ok(api, "GET", "/v1/workspace/automation", t.admin)).csatEnabled).toBe(true);
  });
});
