import { expect } from "vitest";
import { startHarness } from "./harness.js";
import { loginAll, seedCompany } from "./workspace.js";
import { inboundWebhook } from "./whatsapp.js";

type Res = { status: number; body: any };

/** Two companies signed in, and the table reads the admin API tests check their effects with. */
export async function adminFixture() {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const other = await seedCompany(api.db);
  const t = await loginAll(api, co);
  const otherT = await loginAll(api, other);
  let phoneSeq = 0;
  return {
    api, co, other, t, otherT,
    expectInvalid: (res: Res) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    },
    expectCode: (res: Res, status: number, code: string) => {
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.code).toBe(code);
    },
    agentRow: async (id: string) => (await api.sql`SELECT * FROM agents WHERE id = ${id}`)[0],
    teamRow: async (id: string) => (await api.sql`SELECT * FROM teams WHERE id = ${id}`)[0],
    members: async (teamId: string) =>
      (await api.sql`SELECT agent_id, position, auto_assign FROM team_members WHERE team_id = ${teamId} ORDER BY position`)
        .map((r) => ({ agentId: r.agent_id, position: r.position, autoAssign: r.auto_assign })),
    count: async (table: string) => Number((await api.sql`SELECT count(*)::int AS n FROM ${api.sql(table)}`)[0]!.n),
    capacityEvents: async (agentId: string) =>
      (await api.sql`SELECT envelope FROM outbox WHERE type = 'agent.capacity_changed' AND envelope->>'agent_id' = ${agentId}`).map((r) => r.envelope),
    customerWrites: async (phoneNumberId: string, text: string) => {
      const from = `52155${String(++phoneSeq).padStart(7, "0")}`;
      expect((await api.webhook(inboundWebhook([{ from, text }], phoneNumberId))).status).toBe(200);
      const [row] = await api.sql`SELECT c.id, c.team_id, c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${from}`;
      return row!;
    },
  };
}
