import { describe, expect, it } from "vitest";
import { APP_SECRET, startHarness } from "./support/harness.js";
import { inboundWebhook } from "./support/whatsapp.js";
import { createApp } from "../src/http/app.js";
import { signBody } from "../src/channels/whatsapp/signature.js";
import { PASSWORD, loginAll, seedCompany } from "./support/workspace.js";
import { outboxEvents } from "./support/outbox.js";
import { InboundBatcher } from "../src/domain/inbound-batcher.js";
import type { InboundMessage } from "../src/domain/inbound.js";
import { createAgent, createChannel, createRule, setTeamMembers } from "../src/domain/admin/workspace.js";

/** Group commit: several customers' messages per transaction, with the guarantees of one per transaction. */
describe("inbound group commit", async () => {
  const api = await startHarness();
  let n = 0;
  const message = (phoneNumberId: string, from: string, text: string, waMessageId = `wamid.batch.${++n}`): InboundMessage =>
    ({ phoneNumberId, from, waMessageId, kind: "text", text, contactName: "Cliente" });
  const assigneeOf = async (phone: string) =>
    (await api.sql`SELECT c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${phone}`)[0]?.assignee_id;
  /** A customer's first chat, stored alone by a fresh company's batcher, dealt to Ana, answered and resolved by her. */
  const chatResolvedByAna = async (phone: string) => {
    const co = await seedCompany(api.db);
    const t = await loginAll(api, co);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const first = await batcher.receive(message(co.channel.phoneNumberId, phone, "quiero una cotización"));
    if (first.duplicate) throw new Error("stored once");
    expect(first.assigneeId).toBe(co.ana.id);
    expect((await api.call("POST", `/v1/conversations/${first.conversationId}/messages`, t.ana, { text: "Con gusto" })).status).toBe(200);
    expect((await api.call("POST", `/v1/conversations/${first.conversationId}/resolve`, t.ana, { outcome: "resolved" })).status).toBe(200);
    return { co, batcher, first };
  };
  const deadlocks = async () => (await api.sql`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`)[0]!.n as number;

  it("stores customers who write at the same moment together, and round robin still deals in turn", async () => {
    const co = await seedCompany(api.db);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const phones = Array.from({ length: 7 }, (_, i) => `5281400000${i}`);
    const results = await Promise.all(phones.map((p) => batcher.receive(message(co.channel.phoneNumberId, p, "Hola"))));
    // The first goes at once; the six arriving meanwhile share the next transaction.
    expect(batcher.stats).toEqual({ batches: 2, messages: 7, fallbacks: 0 });
    expect(results.every((r) => !r.duplicate && r.opened === "new")).toBe(true);
    const dealt = await Promise.all(phones.map(assigneeOf));
    expect(dealt).toEqual([co.ana.id, co.carlos.id, co.maria.id, co.ana.id, co.carlos.id, co.maria.id, co.ana.id]);
    const events = await outboxEvents(api.sql, { tenantId: co.tenantId });
    expect(events.filter((e) => e.type === "conversation.assigned")).toHaveLength(7);
    expect(events.filter((e) => e.type === "message.received")).toHaveLength(7);
  });

  it("gives a chat whose dealt agent filled up before its store to the next agent, just after the batch commits", async () => {
    const co = await seedCompany(api.db);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    // Another transaction holds Carlos's row (he is taking chats elsewhere) and will fill his last seats.
    const other = await api.sql.reserve();
    await other`BEGIN`;
    await other`SELECT 1 FROM agents WHERE id = ${co.carlos.id} FOR NO KEY UPDATE`;
    const phones = Array.from({ length: 7 }, (_, i) => `5281450000${i}`);
    const received = Promise.all(phones.map((p) => batcher.receive(message(co.channel.phoneNumberId, p, "Hola"))));
    // The first goes alone (Ana); the batch of six deals Carlos, María, Ana, Carlos, María, Ana from one pick, and
    // its first store waits for Carlos's lock.
    for (let i = 0; i < 200 && !(await api.sql`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).length; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await other`UPDATE agents SET capacity = active_chats WHERE id = ${co.carlos.id}`;
    await other`COMMIT`;
    other.release();
    const results = await received;
    expect(batcher.stats).toEqual({ batches: 2, messages: 7, fallbacks: 0 });
    const dealt = await Promise.all(phones.map(assigneeOf));
    expect(dealt).not.toContain(co.carlos.id);
    expect(dealt.every((id) => id === co.ana.id || id === co.maria.id)).toBe(true);
    expect(results.map((r) => (r.duplicate ? null : r.assigneeId))).toEqual(dealt); // each webhook learns its chat's final agent
    const events = await outboxEvents(api.sql, { tenantId: co.tenantId });
    const assigned = events.filter((e) => e.type === "conversation.assigned");
    expect(assigned).toHaveLength(7); // none for the refused deals
    expect(new Set(assigned.map((e) => e.conversation_id)).size).toBe(7);
    const [{ over }] = await api.sql`SELECT count(*)::int AS over FROM agents WHERE tenant_id = ${co.tenantId} AND active_chats > capacity` as any;
    expect(over).toBe(0);
  });

  it("reopens a returning customer's chat in a batch and gives it back to his agent just after the commit, new customers dealt in it", async () => {
    const returning = "528146000000";
    const { co, batcher, first } = await chatResolvedByAna(returning);
    await new Promise((r) => setImmediate(r));
    const before = batcher.stats.batches;
    const newcomers = Array.from({ length: 5 }, (_, i) => `52814600001${i}`);
    const sent = [newcomers[0]!, returning, ...newcomers.slice(1)].map((p) => message(co.channel.phoneNumberId, p, "Hola otra vez"));
    const results = await Promise.all(sent.map((m) => batcher.receive(m)));
    expect(batcher.stats.batches - before).toBe(2); // the first alone, the returning customer with four newcomers
    expect(batcher.stats.fallbacks).toBe(0);
    const again = results[1]!;
    if (again.duplicate) throw new Error("stored once");
    expect(again).toMatchObject({ conversationId: first.conversationId, opened: "reopened", assigneeId: co.ana.id });
    const events = await outboxEvents(api.sql, { conversationId: first.conversationId });
    expect(events.filter((e) => e.type === "conversation.assigned").at(-1)!.payload).toMatchObject({ cycle: 2, method: "sticky", to_agent_id: co.ana.id });
    expect((await Promise.all(newcomers.map(assigneeOf))).every(Boolean)).toBe(true);
  });

  it.each(["round_robin", "least_loaded"] as const)("deals a batch's chats (%s) exactly as one-by-one transactions would", async (strategy) => {
    // Two identical companies with uneven loads and capacities: one gets 9 customers together, one one by one.
    const dealtBy = async (together: boolean) => {
      const co = await seedCompany(api.db, { ventas: { strategy }, capacity: 4 });
      await api.sql`UPDATE agents SET capacity = 3 WHERE id = ${co.maria.id}`;
      const batcher = new InboundBatcher(api.deps, { maxBatch: together ? 16 : 1, maxInFlight: 1 });
      const prefix = `5281${strategy === "round_robin" ? 1 : 2}${together ? 1 : 2}0008`;
      const early = Array.from({ length: 3 }, (_, i) => `${prefix}0${i}`);
      for (const p of early) await batcher.receive(message(co.channel.phoneNumberId, p, "Hola")); // one chat each
      await new Promise((r) => setImmediate(r)); // the batcher is idle again
      const phones = Array.from({ length: 9 }, (_, i) => `${prefix}9${i}`);
      await Promise.all(phones.map((p) => batcher.receive(message(co.channel.phoneNumberId, p, "Hola"))));
      const names = new Map([[co.ana.id, "Ana"], [co.carlos.id, "Carlos"], [co.maria.id, "María"]]);
      return { batches: batcher.stats.batches, dealt: (await Promise.all(phones.map(assigneeOf))).map((id) => names.get(id) ?? null) };
    };
    const together = await dealtBy(true);
    const oneByOne = await dealtBy(false);
    expect(together.batches).toBe(5); // 3 early, the first of the 9 at once, the other 8 in one transaction
    expect(oneByOne.batches).toBe(12);
    expect(together.dealt).toEqual(oneByOne.dealt);
    // 11 seats (4 + 4 + 3) minus the 3 chats already held: 8 of the 9 get an agent, the last waits.
    expect(together.dealt).toEqual(["Ana", "Carlos", "María", "Ana", "Carlos", "María", "Ana", "Carlos", null]);
  });

  it.each([
    ["apart", [["Soporte", "Pedro"], ["Ventas", "Ana"], ["Ventas", "Carlos"], ["Soporte", "Lucía"], ["Ventas", "María"], ["Ventas", "Ana"], ["Soporte", "Pedro"], ["Ventas", "Carlos"]]],
    ["sharing Carlos", [["Soporte", "Carlos"], ["Ventas", "Ana"], ["Ventas", "Carlos"], ["Soporte", "Pedro"], ["Ventas", "María"], ["Ventas", "Ana"], ["Soporte", "Pedro"], ["Ventas", "Carlos"]]],
  ] as const)("writes a batch's dealt chats exactly as one-by-one transactions would, teams %s: rows, history, pointers, events", async (teams, expected) => {
    // Two identical companies: a territory rule sends one prefix to Soporte (least loaded), the rest go to
    // Ventas (round robin, a sales team: its chats are leads). Apart, Soporte is Pedro and Lucía (already
    // busy); sharing, it is Carlos and Pedro, and Carlos is in Ventas too: a chat Ventas gives him in the batch
    // counts for Soporte's next pick, as it would one by one. One takes 8 new customers together, one one by one.
    const written = async (together: boolean) => {
      const co = await seedCompany(api.db);
      await api.sql`UPDATE teams SET strategy = 'least_loaded' WHERE id = ${co.soporte.id}`;
      if (teams === "apart") {
        await setTeamMembers(api.db, co.tenantId, co.soporte.id, [co.pedro.id, co.lucia.id]);
        await api.sql`UPDATE agents SET active_chats = 1 WHERE id = ${co.lucia.id}`;
      }
      await createRule(api.db, co.tenantId, { kind: "phone_prefix", pattern: "52155", teamId: co.soporte.id, territory: "CDMX" });
      const batcher = new InboundBatcher(api.deps, { maxBatch: together ? 16 : 1, maxInFlight: 1 });
      const phones = Array.from({ length: 8 }, (_, i) => `${i % 3 === 0 ? "52155" : "52818"}${together ? 1 : 2}00070${i}`);
      const photo = (m: InboundMessage): InboundMessage => ({ ...m, kind: "image", text: null });
      await Promise.all(phones.map((p, i) => {
        const m = message(co.channel.phoneNumberId, p, `Hola ${i}`);
        return batcher.receive(i === 5 ? photo(m) : m);
      }));
      const name = new Map<string | null, string>([co.ana, co.carlos, co.maria, co.pedro, co.lucia].map((a) => [a.id, a.name]));
      const teamName = new Map<string | null, string>([co.ventas, co.soporte].map((t) => [t.id, t.name]));
      const chats = await api.sql`SELECT k.phone, k.territory AS contact_territory, c.id, c.team_id, c.territory, c.is_lead, c.out_of_hours, c.status,
          c.cycle, c.assignee_id, c.assigned_at = c.created_at AS assigned_on_arrival, m.body, m.kind, m.direction, m.sender, m.status AS message_status
        FROM conversations c JOIN contacts k ON k.id = c.contact_id JOIN messages m ON m.conversation_id = c.id
        WHERE c.tenant_id = ${co.tenantId}`;
      const history = await api.sql`SELECT conversation_id, agent_id, team_id, method, cycle, ended_at FROM assignments WHERE tenant_id = ${co.tenantId}`;
      const events = await outboxEvents(api.sql, { tenantId: co.tenantId });
      const pointers = await api.sql`SELECT name, rr_last_agent_id FROM teams WHERE tenant_id = ${co.tenantId} ORDER BY name`;
      const load = await api.sql`SELECT name, active_chats FROM agents WHERE tenant_id = ${co.tenantId} ORDER BY name`;
      return {
        batches: batcher.stats.batches,
        chats: phones.map((phone) => {
          const c = chats.find((r) => r.phone.endsWith(phone.slice(-2)))!;
          return {
            contactTerritory: c.contact_territory, team: teamName.get(c.team_id), territory: c.territory, lead: c.is_lead, outOfHours: c.out_of_hours,
            status: c.status, cycle: c.cycle, agent: name.get(c.assignee_id), assignedOnArrival: c.assigned_on_arrival,
            message: [c.body, c.kind, c.direction, c.sender, c.message_status],
            history: history.filter((h) => h.conversation_id === c.id).map((h) => [name.get(h.agent_id), teamName.get(h.team_id), h.method, h.cycle, h.ended_at]),
            events: events.filter((e) => e.conversation_id === c.id).map((e) => {
              const { cycle, to_agent_id, to_team_id, team_id, territory, is_lead, is_new_contact, routed_by, method, strategy, kind, length } = e.payload as Record<string, unknown>;
              return [e.type, name.get(e.agent_id), teamName.get(e.team_id), { cycle, to: name.get(to_agent_id as string), to_team: teamName.get(to_team_id as string),
                team: teamName.get(team_id as string), territory, is_lead, is_new_contact, routed_by, method, strategy, kind, length }];
            }),
          };
        }),
        pointers: pointers.map((t) => [t.name, name.get(t.rr_last_agent_id)]),
        load: load.map((a) => [a.name, a.active_chats]),
      };
    };
    const together = await written(true);
    const oneByOne = await written(false);
    expect(together.batches).toBe(2); // the first at once, the other 7 in one transaction
    expect(oneByOne.batches).toBe(8);
    expect(together).toEqual({ ...oneByOne, batches: 2 });
    // Apart: Pedro (0) before Lucía (1), then Lucía, idle longer, at 1 each. Sharing: Carlos by position, then
    // Pedro twice, Carlos having taken a Ventas chat in between. Round robin down Ventas either way.
    expect(together.chats.map((c) => [c.team, c.agent])).toEqual(expected);
    expect(together.chats.filter((c) => c.territory === "CDMX" && c.contactTerritory === "CDMX" && !c.lead)).toHaveLength(3);
    expect(together.chats.filter((c) => c.team === "Ventas").every((c) => c.lead)).toBe(true);
    expect(together.chats.every((c) => c.events.map((e) => e[0]).join() === "conversation.opened,message.received,conversation.assigned")).toBe(true);
  });

  it("gives a chat an agent just after the commit when another team of the batch took every seat its pick had fetched", async () => {
    // Ventas (round robin) and Soporte (least loaded) share five agents with one seat each; Soporte also has Raúl,
    // already busy (1 of 2), so its pick for one chat (five seats) leaves him out. Five Ventas chats arrive
    // before a Soporte one and take those five seats: Soporte's chat must still reach Raúl.
    const co = await seedCompany(api.db, { capacity: 1 });
    const mk = (name: string) => createAgent(api.db, co.tenantId, { email: `${name.toLowerCase()}-${Date.now()}@muebles.mx`, name, password: PASSWORD, presence: "online", capacity: 1 });
    const [tomas, raul] = [await mk("Tomás"), await mk("Raúl")];
    await api.sql`UPDATE agents SET capacity = 2, active_chats = 1 WHERE id = ${raul.id}`;
    const shared = [co.ana.id, co.carlos.id, co.maria.id, co.pedro.id, tomas.id];
    await setTeamMembers(api.db, co.tenantId, co.ventas.id, shared);
    await setTeamMembers(api.db, co.tenantId, co.soporte.id, [...shared, raul.id]);
    await api.sql`UPDATE teams SET strategy = 'least_loaded' WHERE id = ${co.soporte.id}`;
    await createRule(api.db, co.tenantId, { kind: "keyword", pattern: "garantía", teamId: co.soporte.id });
    await createRule(api.db, co.tenantId, { kind: "keyword", pattern: "factura", teamId: co.administracion.id });
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const texts = ["Necesito mi factura", "Hola", "Hola", "Hola", "Hola", "Hola", "¿Aplica la garantía?"]; // the first goes alone, to Lucía
    const results = await Promise.all(texts.map((text, i) => batcher.receive(message(co.channel.phoneNumberId, `52814800000${i}`, text))));
    expect(batcher.stats).toEqual({ batches: 2, messages: 7, fallbacks: 0 });
    const agentsOf = results.map((r) => (r.duplicate ? null : r.assigneeId));
    expect(new Set(agentsOf.slice(1, 6))).toEqual(new Set(shared));
    expect(agentsOf[6]).toBe(raul.id);
    expect(await assigneeOf("528148000006")).toBe(raul.id);
    const [{ over }] = await api.sql`SELECT count(*)::int AS over FROM agents WHERE tenant_id = ${co.tenantId} AND active_chats > capacity` as any;
    expect(over).toBe(0);
  });

  it("continues, wakes and reopens customers' conversations in a batch exactly as one-by-one transactions would", async () => {
    // Two identical companies where three customers have a chat: open (Ana), pending (Carlos) and won and
    // resolved (María). They write again with a newcomer: together in one, one by one in the other.
    const written = async (together: boolean) => {
      const co = await seedCompany(api.db);
      const t = await loginAll(api, co);
      const batcher = new InboundBatcher(api.deps, { maxBatch: together ? 16 : 1, maxInFlight: 1 });
      const [open, pending, won, newcomer, first] = ["528147000001", "528147000002", "528147000003", "528147000004", "528147000005"];
      const ids: string[] = [];
      for (const phone of [open, pending, won]) {
        const r = await batcher.receive(message(co.channel.phoneNumberId, phone, "Hola"));
        if (r.duplicate) throw new Error("stored once");
        ids.push(r.conversationId);
      }
      expect((await api.call("POST", `/v1/conversations/${ids[1]}/status`, t.carlos, { status: "pending" })).status).toBe(200);
      expect((await api.call("POST", `/v1/conversations/${ids[2]}/resolve`, t.maria, { outcome: "won", dealValue: 1200, currency: "MXN" })).status).toBe(200);
      const earlier = (await outboxEvents(api.sql, { tenantId: co.tenantId })).length;
      await new Promise((r) => setImmediate(r));
      const before = batcher.stats.batches;
      const again = await Promise.all([first, open, pending, won, newcomer].map((p, i) =>
        batcher.receive(i === 3 ? { ...message(co.channel.phoneNumberId, p, ""), kind: "image", text: null } : message(co.channel.phoneNumberId, p, `Otra vez ${i}`))));
      const name = new Map<string | null, string>([co.ana, co.carlos, co.maria, co.ventas].map((a) => [a.id, a.name]));
      const chats = await api.sql`SELECT id, status, cycle, outcome, deal_value, currency, assignee_id,
          waiting_since IS NOT NULL AND last_inbound_at = last_message_at AS waiting FROM conversations WHERE id = ANY(${ids})`;
      const messages = await api.sql`SELECT conversation_id, cycle, kind, body, direction, sender, status FROM messages WHERE conversation_id = ANY(${ids}) ORDER BY created_at, id`;
      const events = (await outboxEvents(api.sql, { tenantId: co.tenantId })).slice(earlier);
      return {
        batches: batcher.stats.batches - before, fallbacks: batcher.stats.fallbacks,
        results: again.map((r) => (r.duplicate ? null : [r.opened, name.get(r.assigneeId) ?? null, ids.indexOf(r.conversationId)])),
        chats: ids.map((id) => {
          const c = chats.find((r) => r.id === id)!;
          return {
            row: [c.status, c.cycle, c.outcome, c.deal_value, c.currency, name.get(c.assignee_id), c.waiting],
            messages: messages.filter((m) => m.conversation_id === id).map((m) => [m.cycle, m.kind, m.body, m.direction, m.sender, m.status]),
            events: events.filter((e) => e.conversation_id === id).map((e) => [e.type, name.get(e.agent_id), JSON.stringify(e.payload, (k, v) =>
              /^(message_id|wa_message_id|previous_resolved_at)$/.test(k) ? typeof v : typeof v === "string" && name.has(v) ? name.get(v) : v)]),
          };
        }),
      };
    };
    const together = await written(true);
    const oneByOne = await written(false);
    expect(together.batches).toBe(2); // the first newcomer at once, the other four in one transaction
    expect(oneByOne.batches).toBe(5);
    expect(together).toEqual({ ...oneByOne, batches: 2 });
    expect(together.fallbacks).toBe(0);
    const [open, pending, won] = together.chats;
    expect(open!.row).toEqual(["open", 1, null, null, null, "Ana", true]);
    expect(open!.events.map((e) => e[0])).toEqual(["message.received"]);
    expect(pending!.row).toEqual(["open", 1, null, null, null, "Carlos", true]);
    expect(pending!.events.map((e) => e[0])).toEqual(["conversation.status_changed", "message.received"]);
    expect(won!.row).toEqual(["open", 2, null, null, null, "María", true]); // back to María, sticky, after the commit
    expect(won!.events.map((e) => e[0])).toEqual(["conversation.reopened", "message.received", "conversation.assigned"]);
    expect(won!.messages.at(-1)).toEqual([2, "image", null, "inbound", "customer", "received"]);
    expect(together.results.map((r) => r?.[0])).toEqual(["new", "existing", "existing", "reopened", "new"]);
  });

  it("keeps one customer's burst in order and stores Meta's retries once, without rolling a batch back", async () => {
    const co = await seedCompany(api.db);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 4 });
    const phone = "528140001000";
    const burst = Array.from({ length: 6 }, (_, i) => message(co.channel.phoneNumberId, phone, `parte ${i + 1}`));
    const others = Array.from({ length: 10 }, (_, i) => message(co.channel.phoneNumberId, `52814000200${i}`, "Hola"));
    const sent = [burst[0]!, others[0]!, burst[1]!, burst[0]!, ...others.slice(1, 5), burst[2]!, burst[3]!, burst[1]!, ...others.slice(5), burst[4]!, burst[5]!];
    const results = await Promise.all(sent.map((m) => batcher.receive(m)));
    expect(results.filter((r) => r.duplicate)).toHaveLength(2);
    expect(batcher.stats.fallbacks).toBe(0);
    expect(batcher.stats.batches).toBeLessThan(sent.length);
    const stored = await api.sql`
      SELECT m.body FROM messages m JOIN contacts k ON k.id = (SELECT contact_id FROM conversations WHERE id = m.conversation_id)
      WHERE k.phone = ${phone} ORDER BY m.id`;
    expect(stored.map((r) => r.body)).toEqual(burst.map((m) => m.text));
    const [{ n: conversations }] = await api.sql`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = ${co.tenantId}` as any;
    expect(conversations).toBe(11);
  });

  it("keeps a customer who writes to two of the workspace's numbers at once to one message per batch", async () => {
    const co = await seedCompany(api.db);
    const second = await createChannel(api.db, co.tenantId, { name: "WhatsApp soporte", phoneNumberId: `2${Date.now()}`, displayPhone: "+52 81 5555 0001" });
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const phone = "528140005000";
    await Promise.all([
      batcher.receive(message(co.channel.phoneNumberId, "528140005999", "Hola")),
      batcher.receive(message(co.channel.phoneNumberId, phone, "Hola, ventas")),
      batcher.receive(message(second.phoneNumberId, phone, "Hola, soporte")),
    ]);
    expect(batcher.stats).toEqual({ batches: 3, messages: 3, fallbacks: 0 });
    const rows = await api.sql`
      SELECT c.channel_id, k.id AS contact FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${phone}`;
    expect(rows.map((r) => r.channel_id).sort()).toEqual([co.channel.id, second.id].sort());
    expect(new Set(rows.map((r) => r.contact)).size).toBe(1);
  });

  it("stores a webhook carrying several customers' messages together, one customer's in order", async () => {
    const co = await seedCompany(api.db);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const app = createApp({ ...api.deps, inbound: batcher });
    const phone = "528140006000";
    const raw = JSON.stringify(inboundWebhook([
      { from: phone, text: "uno" }, ...Array.from({ length: 5 }, (_, i) => ({ from: `52814000610${i}`, text: "Hola" })), { from: phone, text: "dos" },
    ], co.channel.phoneNumberId));
    const res = await app.request("/webhooks/whatsapp", {
      method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signBody(raw, APP_SECRET) }, body: raw,
    });
    expect(await res.json()).toMatchObject({ ok: true, stored: 7, duplicates: 0 });
    // "uno" goes at once; "dos" waits for it to commit, then shares the next transaction with the five others.
    expect(batcher.stats).toEqual({ batches: 2, messages: 7, fallbacks: 0 });
    const bodies = await api.sql`SELECT m.body FROM messages m JOIN conversations c ON c.id = m.conversation_id
      JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${phone} ORDER BY m.id`;
    expect(bodies.map((r) => r.body)).toEqual(["uno", "dos"]);
  });

  it("rolls back a batch with a failing message and stores its neighbours one by one", async () => {
    const co = await seedCompany(api.db);
    const batcher = new InboundBatcher(api.deps, { maxBatch: 16, maxInFlight: 1 });
    const first = batcher.receive(message(co.channel.phoneNumberId, "528140003000", "Hola"));
    const rest = [
      message(co.channel.phoneNumberId, "528140003001", "Hola"),
      message("000000000000000", "528140003002", "¿Hay alguien?"), // a number nobody registered
      message(co.channel.phoneNumberId, "528140003003", "Hola"),
    ].map((m) => batcher.receive(m).then(() => "stored", (e: { code?: string }) => e.code));
    await first;
    expect(await Promise.all(rest)).toEqual(["stored", "not_found", "stored"]);
    expect(batcher.stats.fallbacks).toBe(1);
    const phones = await api.sql`SELECT k.phone FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE c.tenant_id = ${co.tenantId} ORDER BY k.phone`;
    expect(phones.map((r) => r.phone)).toEqual(["528140003000", "528140003001", "528140003003"]);
  });

  it("never deadlocks batches whose customers go to overlapping teams, and holds every seat limit", async () => {
    const co = await seedCompany(api.db, { capacity: 6 });
    await createRule(api.db, co.tenantId, { kind: "keyword", pattern: "garantía", teamId: co.soporte.id });
    const batcher = new InboundBatcher(api.deps, { maxBatch: 8, maxInFlight: 4 });
    const before = await deadlocks();
    // Teams in a scrambled order, so that batches meet them in different orders.
    const toSupport = (i: number) => ((i * 7919) % 13) % 2 === 1;
    const sends = Array.from({ length: 160 }, (_, i) =>
      batcher.receive(message(co.channel.phoneNumberId, `528140004${String(i).padStart(3, "0")}`, toSupport(i) ? "Mi silla, ¿tiene garantía?" : "Quiero comprar")));
    await Promise.all(sends);
    expect(await deadlocks()).toBe(before);
    expect(batcher.stats.fallbacks).toBe(0);
    const loads = await api.sql`
      SELECT a.name, a.capacity, a.active_chats, count(c.id)::int AS load FROM agents a
      LEFT JOIN conversations c ON c.assignee_id = a.id AND c.status <> 'resolved'
      WHERE a.tenant_id = ${co.tenantId} GROUP BY a.id`;
    for (const a of loads) {
      expect(a.load).toBeLessThanOrEqual(a.capacity);
      expect(a.active_chats).toBe(a.load);
    }
    // Ventas (Ana, Carlos, María) and Soporte (Carlos, Pedro) share Carlos: 4 agents × 6 seats, all taken.
    expect(loads.reduce((sum, a) => sum + a.load, 0)).toBe(24);
  });
  // Last: it moves the shared clock on by days.
  it("starts a new chat in a batch for a customer back after the reopen window, and gives it to his last agent just after the commit", async () => {
    const back = "528147000000";
    const { co, batcher, first } = await chatResolvedByAna(back);
    api.clock.advance(8 * 86_400_000); // past the 7-day reopen window
    await new Promise((r) => setImmediate(r));
    const before = batcher.stats.batches;
    const newcomers = Array.from({ length: 5 }, (_, i) => `52814700001${i}`);
    const sent = [newcomers[0]!, back, ...newcomers.slice(1)].map((p) => message(co.channel.phoneNumberId, p, "Hola de nuevo"));
    const results = await Promise.all(sent.map((m) => batcher.receive(m)));
    expect(batcher.stats.batches - before).toBe(2);
    expect(batcher.stats.fallbacks).toBe(0);
    const next = results[1]!;
    if (next.duplicate) throw new Error("stored once");
    // The rotation would give him Carlos (first in the batch after Ana's newcomer); sticky gives him Ana.
    expect(next).toMatchObject({ opened: "new", assigneeId: co.ana.id });
    expect(next.conversationId).not.toBe(first.conversationId);
    const events = await outboxEvents(api.sql, { conversationId: next.conversationId });
    expect(events.find((e) => e.type === "conversation.assigned")!.payload).toMatchObject({ cycle: 1, method: "sticky", to_agent_id: co.ana.id });
    expect((await Promise.all(newcomers.map(assigneeOf))).every(Boolean)).toBe(true);
  });
});
