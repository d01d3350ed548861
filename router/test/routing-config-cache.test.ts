import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";
import { createRule } from "../src/domain/admin/workspace.js";

/**
 * The inbound path keeps each workspace's teams and routing rules in memory, keyed by tenants.config_version.
 * A change made anywhere (here: plain SQL, as another instance or a manual fix would) must reach the very
 * next message; assignments, which move the round-robin pointer on every chat, must not invalidate it.
 */
describe("routing configuration cache", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  await createRule(api.db, co.tenantId, { kind: "keyword", pattern: "factura", teamId: co.administracion.id });
  let phone = 5215500000000;
  const write = (text: string) => customerWrites(api, co.channel.phoneNumberId, String(++phone), text);
  const version = async () => Number((await api.sql`SELECT config_version FROM tenants WHERE id = ${co.tenantId}`)[0]!.config_version);

  it("follows a rule changed outside this process on the next message", async () => {
    expect((await write("necesito mi factura")).team_id).toBe(co.administracion.id); // the configuration is now cached
    await api.sql`UPDATE routing_rules SET team_id = ${co.soporte.id} WHERE tenant_id = ${co.tenantId} AND pattern = 'factura'`;
    expect((await write("otra factura por favor")).team_id).toBe(co.soporte.id);
    await api.sql`DELETE FROM routing_rules WHERE tenant_id = ${co.tenantId} AND pattern = 'factura'`;
    expect((await write("la factura de nuevo")).team_id).toBe(co.ventas.id); // the default team
  });

  it("follows a team's new hours and away message on the next message", async () => {
    expect((await write("hola, buenas")).team_id).toBe(co.ventas.id);
    // Harness clock: Monday 2026-03-02 15:00 UTC = 09:00 in Mexico City. Ventas now opens at 10:00.
    await api.sql`UPDATE teams SET business_hours = ${JSON.stringify({ 1: [["10:00", "18:00"]] })}::jsonb, away_message = 'Abrimos a las 10'
      WHERE id = ${co.ventas.id}`;
    const conv = await write("¿están abiertos?");
    expect(conv.team_id).toBe(co.ventas.id);
    const opened = (await outboxEvents(api.sql, { conversationId: conv.id })).find((e) => e.type === "conversation.opened");
    expect(opened?.payload).toMatchObject({ out_of_hours: true });
    const [away] = await api.sql`SELECT body FROM messages WHERE conversation_id = ${conv.id} AND direction = 'outbound'`;
    expect(away?.body).toBe("Abrimos a las 10");
    await api.sql`UPDATE teams SET business_hours = NULL, away_message = NULL WHERE id = ${co.ventas.id}`;
  });

  it("is not invalidated by assignments moving the round-robin pointer", async () => {
    const before = await version();
    const conv = await write("quiero comprar una silla");
    expect(conv.assignee_id).not.toBeNull();
    expect(await version()).toBe(before);
  });
});
