import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { ofType, outboxEvents } from "./support/outbox.js";

/** Message objects in the shapes of Meta's webhook reference, one per kind. */
const fixtures: Array<{ kind: string; stored: string; body: string | null; message: Record<string, unknown> }> = [
  { kind: "text", stored: "text", body: "Hola, quiero una cotización", message: { type: "text", text: { body: "Hola, quiero una cotización" } } },
  { kind: "image", stored: "image", body: "así llegó", message: { type: "image", image: { caption: "así llegó", mime_type: "image/jpeg", sha256: "IM...", id: "1234567890" } } },
  { kind: "audio", stored: "audio", body: null, message: { type: "audio", audio: { mime_type: "audio/ogg; codecs=opus", sha256: "AU...", id: "2234567890", voice: true } } },
  { kind: "video", stored: "video", body: "video del sofá", message: { type: "video", video: { caption: "video del sofá", mime_type: "video/mp4", sha256: "VI...", id: "3234567890" } } },
  { kind: "document", stored: "document", body: "factura", message: { type: "document", document: { caption: "factura", filename: "factura.pdf", mime_type: "application/pdf", sha256: "DO...", id: "4234567890" } } },
  { kind: "sticker", stored: "sticker", body: null, message: { type: "sticker", sticker: { mime_type: "image/webp", sha256: "ST...", id: "5234567890", animated: false } } },
  { kind: "location", stored: "location", body: null, message: { type: "location", location: { latitude: 25.6866, longitude: -100.3161, name: "Tienda Centro", address: "Av. Juárez 100, Monterrey" } } },
  { kind: "contacts", stored: "contacts", body: null, message: { type: "contacts", contacts: [{ name: { formatted_name: "Juan Pérez", first_name: "Juan" }, phones: [{ phone: "+52 81 1234 5678", type: "CELL", wa_id: "5218112345678" }] }] } },
  { kind: "interactive button_reply", stored: "interactive", body: "Sí, me interesa", message: { type: "interactive", interactive: { type: "button_reply", button_reply: { id: "si_interesa", title: "Sí, me interesa" } } } },
  { kind: "interactive list_reply", stored: "interactive", body: "Ventas", message: { type: "interactive", interactive: { type: "list_reply", list_reply: { id: "menu_ventas", title: "Ventas", description: "Cotizaciones" } } } },
  { kind: "button (template quick reply)", stored: "button", body: "Confirmar", message: { type: "button", button: { payload: "confirmar_pedido", text: "Confirmar" }, context: { from: "15550783881", id: "wamid.template1" } } },
  { kind: "reaction", stored: "reaction", body: "👍", message: { type: "reaction", reaction: { message_id: "wamid.agent1", emoji: "👍" } } },
  { kind: "unknown future kind", stored: "unsupported", body: null, message: { type: "order", order: { catalog_id: "1", product_items: [] } } },
  { kind: "unsupported", stored: "unsupported", body: null, message: { type: "unsupported", errors: [{ code: 131051, title: "Message type unknown" }] } },
];

describe("inbound message kinds in Meta's documented shapes", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);

  it("stores every kind once, with its text where it has one, and events carrying kind and length only", async () => {
    const from = "5218119998877";
    const body = {
      object: "whatsapp_business_account",
      entry: [{
        id: "102290129340398",
        changes: [{ field: "messages", value: {
          messaging_product: "whatsapp", metadata: { display_phone_number: "15550783881", phone_number_id: co.channel.phoneNumberId },
          contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
          messages: fixtures.map((f, i) => ({ from, id: `wamid.kind.${i}`, timestamp: "1750090702", ...f.message })),
        } }],
      }],
    };
    const res = await api.webhook(body);
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(fixtures.length);
    const rows = await api.sql`SELECT wa_message_id, kind, body FROM messages WHERE wa_message_id LIKE 'wamid.kind.%'`;
    const byId = new Map(rows.map((r) => [r.wa_message_id, r]));
    fixtures.forEach((f, i) => expect(byId.get(`wamid.kind.${i}`), f.kind).toMatchObject({ kind: f.stored, body: f.body }));
    const [conv] = await api.sql`SELECT c.id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${from}`;
    const received = ofType(await outboxEvents(api.sql, { conversationId: conv!.id }), "message.received");
    expect(received.map((e) => e.payload.kind)).toEqual(fixtures.map((f) => f.stored));
    expect(JSON.stringify(received)).not.toMatch(/Juan|Monterrey|cotización|5218112345678/);
  });

  it("takes a batch of several entries and changes (several numbers), and ignores non-message fields", async () => {
    const entry = (phone: string, id: string) => ({ id: "1", changes: [
      { field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "1", phone_number_id: co.channel.phoneNumberId },
        contacts: [{ profile: { name: "A" }, wa_id: phone }], messages: [{ from: phone, id, timestamp: "1750090702", type: "text", text: { body: "hola" } }] } },
      { field: "account_update", value: { event: "VERIFIED_ACCOUNT" } },
    ] });
    const res = await api.webhook({ object: "whatsapp_business_account", entry: [entry("5215500005001", "wamid.batch.1"), entry("5215500005002", "wamid.batch.2")] });
    expect(res.status).toBe(200);
    expect(res.body.stored).toBe(2);
    const convs = await api.sql`SELECT count(*)::int AS n FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone IN ('5215500005001', '5215500005002')`;
    expect(convs[0]!.n).toBe(2);
  });
});
