import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";

describe("inbox views: scope, filters, search, order by waiting time, cursor pagination", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db, { ventas: { strategy: "manual" }, capacity: 50 });
  const t = await loginAll(api, co);
  const convs: Array<{ id: string }> = [];
  for (let i = 0; i < 25; i++) {
    convs.push(await customerWrites(api, co.channel.phoneNumberId, `52155123400${String(i).padStart(2, "0")}`, i === 7 ? "necesito la garantía del sofá" : `hola ${i}`, `Cliente ${i}`));
    api.clock.advance(60_000);
  }
  const list = async (token: string, query: string) => {
    const res = await api.call("GET", `/v1/conversations?${query}`, token);
    expect(res.status).toBe(200);
    return res.body as { items: Array<{ id: string; contact: { name: string }; assignee: { name: string } | null; lastMessage: string }>; nextCursor: string | null };
  };

  it("orders by waiting time, oldest first, and pages through everything exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(t.sofia, `view=unassigned&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(convs.map((c) => c.id));
  });

  it("moves an answered chat below every waiting one", async () => {
    const first = convs[0]!.id;
    await api.call("POST", `/v1/conversations/${first}/claim`, t.ana);
    await api.call("POST", `/v1/conversations/${first}/messages`, t.ana, { text: "¡Hola!" });
    const all = await list(t.sofia, "view=all&limit=100");
    expect(all.items.at(-1)!.id).toBe(first);
    expect(all.items.at(-1)!.assignee?.name).toBe("Ana");
    expect(all.items.at(-1)!.lastMessage).toBe("¡Hola!");
    const mine = await list(t.ana, "view=mine");
    expect(mine.items.map((i) => i.id)).toEqual([first]);
  });

  it("searches by contact name, number and message text", async () => {
    expect((await list(t.sofia, "q=Cliente%2012")).items.map((i) => i.contact.name)).toEqual(["Cliente 12"]);
    expect((await list(t.sofia, "q=5215512340003")).items).toHaveLength(1);
    expect((await list(t.sofia, `q=${encodeURIComponent("garantía")}`)).items.map((i) => i.id)).toEqual([convs[7]!.id]);
    expect((await list(t.sofia, `q=${encodeURIComponent("100%_")}`)).items).toEqual([]);
  });

  it("filters by status, team and tag", async () => {
    const id = convs[3]!.id;
    await api.call("POST", `/v1/conversations/${id}/claim`, t.carlos);
    await api.call("POST", `/v1/conversations/${id}/tags`, t.carlos, { tag: "lead" });
    await api.call("POST", `/v1/conversations/${id}/status`, t.carlos, { status: "pending" });
    expect((await list(t.sofia, "tag=lead")).items.map((i) => i.id)).toEqual([id]);
    expect((await list(t.sofia, "status=pending")).items.map((i) => i.id)).toEqual([id]);
    expect((await list(t.sofia, `teamId=${co.soporte.id}`)).items).toEqual([]);
    expect((await list(t.sofia, `teamId=${co.ventas.id}&limit=100`)).items).toHaveLength(25);
  });

  it("refuses a forged cursor and bad filters with 400", async () => {
    for (const q of ["cursor=bm9wZQ", "limit=0", "limit=1000", "view=everything", "status=closed", "teamId=ventas"]) {
      const res = await api.call("GET", `/v1/conversations?${q}`, t.sofia);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
  });

  it("needs a valid token", async () => {
    expect((await api.call("GET", "/v1/conversations")).status).toBe(401);
    expect((await api.call("GET", "/v1/conversations", "cs_forged")).status).toBe(401);
    await api.call("POST", "/v1/auth/logout", t.pedro);
    expect((await api.call("GET", "/v1/conversations", t.pedro)).status).toBe(401);
  });
});
