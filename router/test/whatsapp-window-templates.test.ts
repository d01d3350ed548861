import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { ofType, outboxEvents } from "./support/outbox.js";

const HOUR = 3600_000;

describe("the 24-hour customer-service window and approved templates", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db, { capacity: 50 });
  let t = await loginAll(api, co);
  await api.sql`UPDATE agents SET presence = 'offline' WHERE tenant_id = ${co.tenantId} AND id <> ${co.ana.id}`;
  await api.call("POST", "/v1/templates", t.admin, { name: "seguimiento_pedido", language: "es_MX", body: "Hola {{1}}, tu pedido {{2}} va en camino." });
  await api.call("POST", "/v1/templates", t.admin, { name: "promo_pausada", language: "es_MX", body: "Promo", status: "paused" });

  it("free text within 24 h of the customer's last message; after that only a template, with a clear error", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500003001", "hola");
    const wroteAt = api.clock.now();
    const detail = await api.call("GET", `/v1/conversations/${conv.id}`, t.ana);
    expect(detail.body.windowClosesAt).toBe(new Date(wroteAt.getTime() + 24 * HOUR).toISOString());
    api.clock.advance(23 * HOUR);
    t = await loginAll(api, co); // sessions last 12 hours
    expect((await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¿Sigue interesado?" })).status).toBe(200);

    api.clock.advance(2 * HOUR);
    t = await loginAll(api, co);
    const late = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¿Hola?" });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe("window_closed");
    expect(late.body.error.details.windowClosedAt).toBe(new Date(wroteAt.getTime() + 24 * HOUR).toISOString());
    for (const body of [{ interactive: { type: "button", body: "¿Le ayudo?", buttons: [{ id: "si", title: "Sí" }] } }, { media: { type: "image", link: "https://example.com/catalogo.jpg" } }]) {
      expect((await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, body)).body.error.code).toBe("window_closed");
    }

    const template = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { template: { name: "seguimiento_pedido", language: "es_MX", parameters: ["Roberto", "4521"] } });
    expect(template.status).toBe(200);
    expect(template.body.body).toBe("Hola Roberto, tu pedido 4521 va en camino.");
    const [row] = await api.sql`SELECT kind, template_name, payload, status FROM messages WHERE id = ${template.body.messageId}`;
    expect(row).toMatchObject({ kind: "template", template_name: "seguimiento_pedido", status: "queued" });
    expect(row!.payload).toEqual({ type: "template", template: { name: "seguimiento_pedido", language: { code: "es_MX" }, components: [{ type: "body", parameters: [{ type: "text", text: "Roberto" }, { type: "text", text: "4521" }] }] } });
    const sent = ofType(await outboxEvents(api.sql, { conversationId: conv.id }), "message.sent");
    expect(sent.map((e) => [e.payload.kind, e.payload.template_name])).toEqual([["text", null], ["template", "seguimiento_pedido"]]);

    // The customer answers: the window opens again.
    await customerWrites(api, co.channel.phoneNumberId, "5215500003001", "Gracias");
    expect((await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "¡A usted!" })).status).toBe(200);
  });

  it("refuses unapproved templates, wrong parameter counts and unknown templates, changing nothing", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500003002", "hola");
    const send = (template: unknown) => api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { template });
    expect((await send({ name: "promo_pausada", language: "es_MX" })).body.error.code).toBe("template_not_approved");
    expect((await send({ name: "seguimiento_pedido", language: "es_MX", parameters: ["solo uno"] })).body.error.code).toBe("invalid_input");
    expect((await send({ name: "no_existe", language: "es_MX" })).status).toBe(404);
    const [{ n }] = await api.sql`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conv.id} AND direction = 'outbound'` as any;
    expect(n).toBe(0);
  });

  it("stores interactive and media replies as Meta's request bodies", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500003003", "hola");
    const list = { type: "list", body: "¿Qué necesita?", button: "Opciones", sections: [{ title: "Ventas", rows: [{ id: "cotizar", title: "Cotizar" }] }] };
    const a = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { interactive: list });
    const b = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { media: { type: "document", link: "https://example.com/cotizacion.pdf", caption: "Su cotización", filename: "cotizacion.pdf" } });
    expect([a.status, b.status]).toEqual([200, 200]);
    const rows = await api.sql`SELECT kind, body, payload FROM messages WHERE id IN (${a.body.messageId}, ${b.body.messageId}) ORDER BY created_at, id`;
    expect(rows[0]).toMatchObject({ kind: "interactive", body: "¿Qué necesita?", payload: { type: "interactive", interactive: { type: "list", body: { text: "¿Qué necesita?" }, action: { button: "Opciones" } } } });
    expect(rows[1]).toMatchObject({ kind: "document", body: "Su cotización", payload: { type: "document", document: { link: "https://example.com/cotizacion.pdf", caption: "Su cotización", filename: "cotizacion.pdf" } } });
    const bad = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { media: { type: "image", link: "http://insecure.example.com/a.jpg" } });
    expect(bad.status).toBe(400);
    const both = await api.call("POST", `/v1/conversations/${conv.id}/messages`, t.ana, { text: "hola", template: { name: "x", language: "es" } });
    expect(both.status).toBe(400);
  });
});
