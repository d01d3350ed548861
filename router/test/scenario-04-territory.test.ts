import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";
import { createRule, createTeam, setTeamMembers } from "../src/domain/admin/workspace.js";

describe("scenario 4: by territory", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const centro = await createTeam(api.db, co.tenantId, { name: "Equipo Centro" });
  const norte = await createTeam(api.db, co.tenantId, { name: "Equipo Norte" });
  const sur = await createTeam(api.db, co.tenantId, { name: "Equipo Sur" });
  await setTeamMembers(api.db, co.tenantId, centro.id, [co.ana.id]);
  await setTeamMembers(api.db, co.tenantId, norte.id, [co.carlos.id]);
  await setTeamMembers(api.db, co.tenantId, sur.id, [co.maria.id]);
  const rules: Array<[string, string, string]> = [["52155", "CDMX", centro.id], ["52156", "Estado de México", centro.id], ["52181", "Norte", norte.id], ["52199", "Sureste", sur.id], ["521", "México", co.ventas.id]];
  for (const [pattern, territory, teamId] of rules) await createRule(api.db, co.tenantId, { kind: "phone_prefix", pattern, territory, teamId });

  it.each([
    ["5215512340001", "CDMX", "centro"],
    ["5215612340001", "Estado de México", "centro"],
    ["5218112340001", "Norte", "norte"],
    ["5219912340001", "Sureste", "sur"],
  ] as const)("%s → %s → Equipo %s", async (phone, territory, team) => {
    const expected = { centro, norte, sur }[team];
    const conv = await customerWrites(api, co.channel.phoneNumberId, phone, "Hola");
    expect(conv.team_id).toBe(expected.id);
    expect(conv.territory).toBe(territory);
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(events.find((e) => e.type === "conversation.opened")?.payload).toMatchObject({ territory, routed_by: "territory" });
    expect(events.find((e) => e.type === "conversation.assigned")?.payload).toMatchObject({ method: "territory" });
  });

  it("uses the longest matching prefix and falls back to the shorter one", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5213312340001", "Hola");
    expect(conv.territory).toBe("México");
    expect(conv.team_id).toBe(co.ventas.id);
  });

  it("an admin's edit of the rules applies to the next new conversation", async () => {
    await api.sql`UPDATE routing_rules SET team_id = ${sur.id} WHERE pattern = '52181' AND tenant_id = ${co.tenantId}`;
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5218112340099", "Hola");
    expect(conv.team_id).toBe(sur.id);
  });

  it("keeps the phone number out of the events (territory is derived before)", async () => {
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215512340777", "Hola");
    const events = await outboxEvents(api.sql, { conversationId: conv.id });
    expect(JSON.stringify(events)).not.toContain("5215512340777");
  });
});
