import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { menuReply } from "./support/whatsapp.js";
import { outboxEvents } from "./support/outbox.js";
import { createRule, createTeam, setDefaultTeam } from "../src/domain/admin/workspace.js";

describe("scenario 3: by specialty / department", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  for (const [pattern, team] of [["cotización", co.ventas], ["problema con mi pedido", co.soporte], ["factura", co.administracion]] as const) {
    await createRule(api.db, co.tenantId, { kind: "keyword", pattern, teamId: team.id });
  }
  await createRule(api.db, co.tenantId, { kind: "menu", pattern: "menu_facturacion", teamId: co.administracion.id });
  const general = await createTeam(api.db, co.tenantId, { name: "General" });
  await setDefaultTeam(api.db, co.tenantId, general.id);

  it.each([
    ["quiero una cotizacion", "ventas"],
    ["Tengo un PROBLEMA con mi pedido!!", "soporte"],
    ["necesito mi factura", "administracion"],
  ] as const)("routes %j to %s by keyword, accent- and case-insensitive", async (text, dept) => {
    const team = { ventas: co.ventas, soporte: co.soporte, administracion: co.administracion }[dept];
    const conv = await customerWrites(api, co.channel.phoneNumberId, `52155${Math.floor(Math.random() * 1e8)}`, text);
    expect(conv.team_id).toBe(team.id);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(events.find((e) => e.type === "conversation.opened")?.payload).toMatchObject({ routed_by: "keyword", team_id: team.id, department: dept });
    expect(events.find((e) => e.type === "conversation.assigned")?.payload).toMatchObject({ method: "skill" });
  });

  it("routes by the customer's choice in the bot menu (hybrid bot + human)", async () => {
    const res = await api.webhook(menuReply("5215512345678", "menu_facturacion", "Facturación"), );
    expect(res.status).toBe(200);
    const [conv] = await api.sql`SELECT c.team_id, c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = '5215512345678'`;
    expect(conv!.team_id).toBe(co.administracion.id);
    expect(conv!.assignee_id).toBe(co.lucia.id);
  });

  it("sends an unclassified message to the default team", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215587654321", "buenas tardes");
    expect(conv.team_id).toBe(general.id);
    const opened = (await outboxEvents(api.sql, { conversationId: conv.id })).find((e) => e.type === "conversation.opened");
    expect(opened?.payload).toMatchObject({ routed_by: "default" });
    // General has no members: the chat waits in its queue rather than going to someone outside the team.
    expect(conv.assignee_id).toBeNull();
  });
});
