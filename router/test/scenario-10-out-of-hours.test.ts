import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { automatedMessages, conversationRow, jobsOf, MINUTE, ok } from "./support/automation.js";
import { graphRequestFor } from "../src/channels/whatsapp/graph-message.js";

const nineToSix: Array<[string, string]> = [["09:00", "18:00"]];
const weekdays = { "1": nineToSix, "2": nineToSix, "3": nineToSix, "4": nineToSix, "5": nineToSix };
const AWAY = "¡Gracias por escribirnos! Atendemos de lunes a viernes de 9 a 18 h; te respondemos en cuanto abramos.";
// Monday 2 March 2026, 20:00 in Mexico City (UTC-6) and the next opening, Tuesday 09:00.
const MONDAY_20H = new Date("2026-03-03T02:00:00Z");
const TUESDAY_9H = new Date("2026-03-03T15:00:00Z");

describe("scenario 10: out of hours", async () => {
  const api = await startHarness(MONDAY_20H);
  const jobs = jobsOf(api);
  let phone = 5215500010000;
  const nextPhone = () => String(++phone);

  async function company(ventas: Record<string, unknown> = {}) {
    api.clock.set(MONDAY_20H);
    const co = await seedCompany(api.db, { ventas: { timeZone: "America/Mexico_City", businessHours: weekdays, awayMessage: AWAY, ...ventas } });
    return { co, t: await loginAll(api, co) };
  }

  it("a message at 20:00 gets the away message once, waits in the queue, and is assigned when the team opens", async () => {
    const { co } = await company();
    const from = nextPhone();
    const conv = await customerWrites(api, co.channel.phoneNumberId, from, "Hola, quiero cotización");
    expect(conv.assignee_id).toBeNull();
    api.clock.advance(5 * MINUTE);
    await customerWrites(api, co.channel.phoneNumberId, from, "¿Hay alguien?");
    await jobs.all();
    await jobs.all();

    const away = await automatedMessages(api, conv.id);
    expect(away).toHaveLength(1);
    expect(away[0]).toMatchObject({ kind: "text", body: AWAY, status: "queued", cycle: 1 });
    expect(graphRequestFor({ kind: "text", body: away[0]!.body, payload: null }, from)).toMatchObject({ to: from, type: "text", text: { body: AWAY } });
    let events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "conversation.opened")[0]!.payload.out_of_hours).toBe(true);
    const sent = ofType(events, "message.sent");
    expect(sent.map((e) => e.payload)).toEqual([{ cycle: 1, message_id: away[0]!.id, wa_message_id: null, sender: "automation", template_name: null, kind: "text", length: AWAY.length }]);

    // All night: the SLA clock is stopped, nothing is assigned.
    api.clock.set(new Date(TUESDAY_9H.getTime() - MINUTE));
    await jobs.all();
    events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.breached")).toEqual([]);
    expect(ofType(events, "conversation.assigned")).toEqual([]);
    const queue = await ok(api, "GET", "/v1/conversations?view=unassigned", (await loginAll(api, co)).sofia); // sessions last 12 h
    expect(queue.items.map((i: { id: string }) => i.id)).toContain(conv.id);

    api.clock.set(TUESDAY_9H);
    await jobs.all();
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.ana.id);
    events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "conversation.assigned")).toHaveLength(1);
    expect(ofType(events, "sla.breached")).toEqual([]);

    // Counted from the opening, not from 20:00: breached at 09:05 with 300 s waited.
    api.clock.set(new Date(TUESDAY_9H.getTime() + 5 * MINUTE));
    await jobs.all();
    events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(ofType(events, "sla.breached").map((e) => e.payload)).toEqual([{ cycle: 1, target_seconds: 300, waited_seconds: 300 }]);
    expect(await automatedMessages(api, conv.id)).toHaveLength(1);
  });

  it("a new cycle out of hours gets the away message again", async () => {
    const { co } = await company();
    let t;
    const from = nextPhone();
    const conv = await customerWrites(api, co.channel.phoneNumberId, from, "hola");
    api.clock.set(TUESDAY_9H);
    await jobs.run("hours");
    t = await loginAll(api, co); // sessions last 12 h
    await ok(api, "POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "Buenos días" });
    await ok(api, "POST", `/v1/conversations/${conv.id}/resolve`, t.ana, { outcome: "resolved" });
    api.clock.set(new Date(TUESDAY_9H.getTime() + 12 * 3600_000)); // Tuesday 21:00
    const again = await customerWrites(api, co.channel.phoneNumberId, from, "Otra pregunta");
    expect(again).toMatchObject({ id: conv.id, cycle: 2, assignee_id: null });
    expect((await automatedMessages(api, conv.id)).map((m) => m.cycle)).toEqual([1, 2]);
  });

  it("respects holidays: closed all day, assigned the next working day", async () => {
    const { co } = await company({ holidays: ["2026-03-03"] });
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "hola");
    api.clock.set(new Date(TUESDAY_9H.getTime() + 2 * 3600_000)); // Tuesday 11:00, a holiday
    await jobs.all();
    expect((await conversationRow(api, conv.id)).assignee_id).toBeNull();
    expect(ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "sla.breached")).toEqual([]);
    api.clock.set(new Date(TUESDAY_9H.getTime() + 24 * 3600_000)); // Wednesday 09:00
    await jobs.all();
    expect((await conversationRow(api, conv.id)).assignee_id).toBe(co.ana.id);
  });

  it("the hours job sends the away message the inbound path could not (set after the customer wrote)", async () => {
    const { co, t } = await company({ awayMessage: null });
    const conv = await customerWrites(api, co.channel.phoneNumberId, nextPhone(), "hola");
    expect(await automatedMessages(api, conv.id)).toHaveLength(0);
    await ok(api, "PATCH", `/v1/teams/${co.ventas.id}`, t.admin, { awayMessage: AWAY });
    api.clock.advance(MINUTE);
    await jobs.run("hours");
    await jobs.run("hours");
    expect((await automatedMessages(api, conv.id)).map((m) => m.body)).toEqual([AWAY]);
  });
});
