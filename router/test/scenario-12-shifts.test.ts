import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";

describe("scenario 12: agents in different time zones and shifts", async () => {
  const api = await startHarness();

  it("only agents online now receive chats, whatever their zone; going online drains the waiting queue oldest first", async () => {
    const co = await seedCompany(api.db, { presence: "offline" });
    await api.sql`UPDATE agents SET time_zone = 'America/Bogota' WHERE id = ${co.carlos.id}`;
    await api.sql`UPDATE agents SET time_zone = 'America/Mexico_City' WHERE id = ${co.maria.id}`;
    const t = await loginAll(api, co);
    expect((await api.call("PUT", `/v1/agents/${co.carlos.id}/presence`, t.carlos, { presence: "online" })).status).toBe(200);
    const a = await customerWrites(api, co.channel.phoneNumberId, "5215500001201", "hola");
    const b = await customerWrites(api, co.channel.phoneNumberId, "5215500001202", "hola");
    expect([a.assignee_id, b.assignee_id]).toEqual([co.carlos.id, co.carlos.id]);

    expect((await api.call("PUT", `/v1/agents/${co.carlos.id}/presence`, t.carlos, { presence: "offline" })).status).toBe(200);
    const waiting = [];
    for (let i = 0; i < 3; i++) {
      waiting.push(await customerWrites(api, co.channel.phoneNumberId, `521550000121${i}`, "hola"));
      api.clock.advance(1000);
    }
    expect(waiting.every((w) => w.assignee_id === null)).toBe(true);

    await api.sql`UPDATE agents SET capacity = 2 WHERE id = ${co.maria.id}`;
    expect((await api.call("PUT", `/v1/agents/${co.maria.id}/presence`, t.maria, { presence: "online" })).status).toBe(200);
    const rows = await api.sql`SELECT id, assignee_id FROM conversations WHERE id IN ${api.sql(waiting.map((w) => w.id))}`;
    const byId = new Map(rows.map((r) => [r.id, r.assignee_id]));
    // María has room for two: the two oldest waiting chats go to her, the newest keeps waiting.
    expect(waiting.map((w) => byId.get(w.id))).toEqual([co.maria.id, co.maria.id, null]);
  });

  it("an agent cannot set another agent's presence; a supervisor can", async () => {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    const res = await api.call("PUT", `/v1/agents/${co.carlos.id}/presence`, t.ana, { presence: "offline" });
    expect(res.status).toBe(403);
    expect((await api.call("PUT", `/v1/agents/${co.carlos.id}/presence`, t.sofia, { presence: "away" })).status).toBe(200);
    const [row] = await api.sql`SELECT presence FROM agents WHERE id = ${co.carlos.id}`;
    expect(row!.presence).toBe("away");
    const conv = await customerWrites(api, co.channel.phoneNumberId, "5215500001299", "hola");
    expect(conv.assignee_id).not.toBe(co.carlos.id);
  });
});
