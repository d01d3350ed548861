import { afterAll, describe, expect, it } from "vitest";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { APP_SECRET, SECRET_KEY, startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";
import { createGraphApiSimulator } from "../src/channels/whatsapp/simulator/index.js";
import { dispatchDueMessages, MAX_SEND_ATTEMPTS } from "../src/channels/whatsapp/dispatcher.js";
import { seal } from "../src/channels/whatsapp/secret-box.js";

const ACCESS_TOKEN = "EAAGtestaccesstoken0123456789";

describe("outbound WhatsApp: queued reply → Graph API (simulator) → statuses back by signed webhook", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db, { capacity: 50 });
  const t = await loginAll(api, co);
  await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id <> ${co.ana.id}`;
  const sim = createGraphApiSimulator({
    accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, clock: api.clock, statusTimers: false, enforceWindow: false,
    webhookUrl: async (body, signature) => {
      const res = await api.app.request("/webhooks/whatsapp", { method: "POST", body, headers: { "x-hub-signature-256": signature, "content-type": "application/json" } });
      if (res.status !== 200) throw new Error(`router refused a status webhook: ${res.status}`);
    },
  });
  const server = serve({ fetch: sim.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(async () => { await sim.close(); server.close(); });
  await api.sql`UPDATE channels SET graph_api_base_url = ${baseUrl}, access_token_sealed = ${seal(ACCESS_TOKEN, SECRET_KEY)} WHERE id = ${co.channel.id}`;
  const dispatcher = { db: api.db, clock: api.clock, secretKey: SECRET_KEY };

  async function replyInNewChat(phone: string, text: string) {
    const conv = await customerWrites(api, co.channel.phoneNumberId, phone, "hola");
    const res = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("queued");
    return { conv, messageId: res.body.messageId as string };
  }
  const message = async (id: string) => (await api.sql`SELECT * FROM messages WHERE id = ${id}`)[0]!;

  it("sends a reply and follows it through sent → delivered → read, one message.status event each", async () => {
    const { conv, messageId } = await replyInNewChat("5215500004001", "Con gusto le atiendo");
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 1, accepted: 1 });
    const accepted = await message(messageId);
    expect(accepted.status).toBe("accepted");
    expect(sim.state.sent.at(-1)).toMatchObject({ to: "5215500004001", type: "text", wamid: accepted.wa_message_id, text: "Con gusto le atiendo" });
    expect(await sim.state.flushStatuses()).toBe(3);
    const done = await message(messageId);
    expect(done.status).toBe("read");
    expect(done.sent_at && done.delivered_at && done.read_at).toBeTruthy();
    const statuses = ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "message.status");
    expect(statuses.map((e) => e.payload.status)).toEqual(["sent", "delivered", "read"]);
    expect(statuses.every((e) => e.payload.wa_message_id === accepted.wa_message_id && e.agent_id === co.ana.id)).toBe(true);
  });

  it("retries 429 and 500 with backoff, never sends twice, and keeps a chat's messages in order", async () => {
    const { conv, messageId } = await replyInNewChat("5215500004002", "primero");
    const second = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "segundo" });
    sim.state.faults.failNext = [{ status: 429, code: 130429, message: "Rate limit hit" }, { status: 500, code: 131000, message: "Something went wrong" }];
    const before = sim.state.sent.length;
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 1, retried: 1 });
    expect((await message(messageId)).last_error).toContain("Rate limit hit");
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 0 }); // backing off: nothing is due yet
    api.clock.advance(2_000);
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 1, retried: 1 });
    api.clock.advance(3_000);
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 1, accepted: 1 });
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ claimed: 1, accepted: 1 });
    const texts = sim.state.sent.slice(before).filter((m) => m.to === "5215500004002").map((m) => m.text);
    expect(texts).toEqual(["primero", "segundo"]);
    expect((await message(messageId)).attempts).toBe(3);
    expect((await message(second.body.messageId)).status).toBe("accepted");
  });

  it("gives up on a permanent error at once, and on a retryable one after the last attempt, as failed with the code", async () => {
    const a = await replyInNewChat("5215500004003", "uno");
    sim.state.faults.failNext = [{ status: 400, code: 131047, message: "Re-engagement message" }];
    expect(await dispatchDueMessages(dispatcher)).toMatchObject({ failed: 1 });
    expect(await message(a.messageId)).toMatchObject({ status: "failed", error_code: 131047 });
    const failed = ofType(await outboxEvents(api.sql, { conversationId: a.conv.id }), "message.status");
    expect(failed.map((e) => e.payload)).toEqual([{ message_id: a.messageId, wa_message_id: null, status: "failed", error_code: 131047 }]);

    const b = await replyInNewChat("5215500004004", "dos");
    sim.state.faults.failNext = Array.from({ length: MAX_SEND_ATTEMPTS }, () => ({ status: 500, code: 131000, message: "Something went wrong" }));
    for (let i = 0; i < MAX_SEND_ATTEMPTS; i++) {
      await dispatchDueMessages(dispatcher);
      api.clock.advance(400_000);
    }
    expect(await message(b.messageId)).toMatchObject({ status: "failed", error_code: 131000, attempts: MAX_SEND_ATTEMPTS });
  });

  it("applies statuses that arrive out of order, skipped, repeated, or before the send was recorded", async () => {
    const { messageId } = await replyInNewChat("5215500004005", "tres");
    await dispatchDueMessages(dispatcher);
    const wamid = (await message(messageId)).wa_message_id as string;
    const status = (s: string, ts: number, extra = {}) => api.webhook({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp", metadata: { display_phone_number: "1", phone_number_id: co.channel.phoneNumberId },
      statuses: [{ id: wamid, status: s, timestamp: String(ts), recipient_id: "5215500004005", ...extra }] } }] }] });
    expect((await status("read", 1772470000)).status).toBe(200);
    expect((await status("sent", 1772469990)).status).toBe(200);
    expect((await status("read", 1772470000)).status).toBe(200);
    const row = await message(messageId);
    expect(row).toMatchObject({ status: "read", delivered_at: null });
    expect(new Date(row.sent_at).toISOString()).toBe(new Date(1772469990 * 1000).toISOString());

    // Meta can report a status before our own commit of the send that produced the id: it is kept, then applied.
    const early = await api.webhook({ object: "whatsapp_business_account", entry: [{ id: "1", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp", metadata: { display_phone_number: "1", phone_number_id: co.channel.phoneNumberId },
      statuses: [{ id: "wamid.fixed-early", status: "delivered", timestamp: "1772470100", recipient_id: "5215500004006" }] } }] }] });
    expect(early.body.statuses).toBe(1);
    const fixedGraph = serve({ port: 0, hostname: "127.0.0.1", fetch: () => Response.json({ messaging_product: "whatsapp", messages: [{ id: "wamid.fixed-early" }] }) });
    await new Promise((r) => fixedGraph.once("listening", r));
    await api.sql`UPDATE channels SET graph_api_base_url = ${`http://127.0.0.1:${(fixedGraph.address() as AddressInfo).port}`} WHERE id = ${co.channel.id}`;
    const pending = await replyInNewChat("5215500004006", "cuatro");
    await dispatchDueMessages(dispatcher);
    fixedGraph.close();
    await api.sql`UPDATE channels SET graph_api_base_url = ${baseUrl} WHERE id = ${co.channel.id}`;
    expect(await message(pending.messageId)).toMatchObject({ status: "delivered", wa_message_id: "wamid.fixed-early" });
    expect((await api.sql`SELECT count(*)::int AS n FROM early_statuses`)[0]!.n).toBe(0);
  });
});
