import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { inboundWebhook } from "./support/whatsapp.js";
import { createApp } from "../src/http/app.js";

describe("scenario 1: round robin in Ventas", async () => {
  const api = await startHarness();

  async function newCustomer(phoneNumberId: string, phone: string) {
    const res = await api.webhook(inboundWebhook([{ from: phone, text: "Hola, buenas tardes" }], phoneNumberId));
    expect(res.status).toBe(200);
    const [row] = await api.sql`SELECT c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${phone}`;
    return row!.assignee_id as string | null;
  }

  it("deals chats 1–4 to Ana, Carlos, María, Ana", async () => {
    const co = await seedCompany(api.db);
    const got = [];
    for (let i = 1; i <= 4; i++) got.push(await newCustomer(co.channel.phoneNumberId, `52811000000${i}`));
    expect(got).toEqual([co.ana.id, co.carlos.id, co.maria.id, co.ana.id]);
  });

  it("skips an offline agent and a full one", async () => {
    const co = await seedCompany(api.db);
    const tokens = await loginAll(api, co);
    expect((await api.call("PUT", `/v1/agents/${co.carlos.id}/presence`, tokens.carlos, { presence: "offline" })).status).toBe(200);
    await api.sql`UPDATE agents SET capacity = 1 WHERE id = ${co.maria.id}`;
    const got = [];
    for (let i = 1; i <= 4; i++) got.push(await newCustomer(co.channel.phoneNumberId, `52812000000${i}`));
    // Ana, María (now full), then only Ana has room.
    expect(got).toEqual([co.ana.id, co.maria.id, co.ana.id, co.ana.id]);
  });

  it("keeps the pointer across a router restart", async () => {
    const co = await seedCompany(api.db);
    expect(await newCustomer(co.channel.phoneNumberId, "528130000001")).toBe(co.ana.id);
    // A new app instance over the same database is a restarted router: nothing lives in memory.
    const restarted = createApp(api.deps);
    const { signBody } = await import("../src/channels/whatsapp/signature.js");
    const raw = JSON.stringify(inboundWebhook([{ from: "528130000002", text: "Hola" }], co.channel.phoneNumberId));
    const res = await restarted.request("/webhooks/whatsapp", { method: "POST", body: raw, headers: { "x-hub-signature-256": signBody(raw, "test-app-secret") } });
    expect(res.status).toBe(200);
    const [row] = await api.sql`SELECT c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = '528130000002'`;
    expect(row!.assignee_id).toBe(co.carlos.id);
  });
});
