import { describe, expect, it } from "vitest";
import { adminFixture } from "./support/admin.js";
import { login, PASSWORD, seedCompany } from "./support/workspace.js";

/** Admin configuration through the HTTP API. */
describe("admin API: agents", async () => {
  const { api, co, other, t, expectInvalid, expectCode, agentRow, members, count, capacityEvents, customerWrites } = await adminFixture();

  describe("agents", () => {
    let nuevo: any;

    it("creates an agent with teams; the email is stored lowercase and the hash never leaves", async () => {
      const res = await api.call("POST", "/v1/agents", t.admin, {
        email: "Nuevo.Agente@Muebles.MX", name: "Nuevo", password: "una-clave-larga", capacity: 3, skills: ["inglés"],
        timeZone: "America/Bogota", locale: "en", teamIds: [co.soporte.id],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      nuevo = res.body;
      expect(nuevo).toMatchObject({ email: "nuevo.agente@muebles.mx", name: "Nuevo", role: "agent", capacity: 3, skills: ["inglés"],
        timeZone: "America/Bogota", locale: "en", active: true, teamIds: [co.soporte.id], tenantId: co.tenantId });
      expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt/);
      // Joined at the end of Soporte's rotation, receiving chats.
      expect((await members(co.soporte.id)).at(-1)).toEqual({ agentId: nuevo.id, position: 3, autoAssign: true });
      const session = await api.call("POST", "/v1/auth/login", undefined, { email: "NUEVO.agente@muebles.mx", password: "una-clave-larga" });
      expect(session.status).toBe(200);
      expect(session.body.agent.id).toBe(nuevo.id);
    });

    it("refuses a duplicate email, ignoring case and across workspaces, with 409 conflict", async () => {
      const before = await count("agents");
      expectCode(await api.call("POST", "/v1/agents", t.admin, { email: "NUEVO.AGENTE@muebles.mx", name: "Otro" }), 409, "conflict");
      expectCode(await api.call("POST", "/v1/agents", t.admin, { email: other.ana.email.toUpperCase(), name: "Otra Ana" }), 409, "conflict");
      expectCode(await api.call("PATCH", `/v1/agents/${co.maria.id}`, t.admin, { email: co.ana.email }), 409, "conflict");
      expect(await count("agents")).toBe(before);
      expect((await agentRow(co.maria.id))!.email).toBe(co.maria.email);
    });

    it("rejects invalid agent input with 400 invalid_input and changes nothing", async () => {
      const before = await count("agents");
      const bad = [
        { email: "no-es-un-email", name: "X" },
        { email: "x1@muebles.mx", name: "" },
        { email: "x2@muebles.mx", name: "X", timeZone: "America/Gotham" },
        { email: "x3@muebles.mx", name: "X", locale: "fr" },
        { email: "x4@muebles.mx", name: "X", role: "owner" },
        { email: "x5@muebles.mx", name: "X", capacity: -1 },
        { email: "x6@muebles.mx", name: "X", password: "corta" },
        { email: "x7@muebles.mx", name: "X", teamIds: ["not-a-uuid"] },
        { email: "x8@muebles.mx", name: "X", teamIds: [co.ventas.id, co.ventas.id] },
      ];
      for (const body of bad) expectInvalid(await api.call("POST", "/v1/agents", t.admin, body));
      expect(await count("agents")).toBe(before);

      const snapshot = await agentRow(co.ana.id);
      for (const body of [{}, { capacity: 1.5 }, { capacity: 101 }, { timeZone: "Mars/Olympus" }, { locale: "pt-BR" }, { active: "no" }, { skills: ["a", "A"] }]) {
        expectInvalid(await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.admin, body));
      }
      expect(await agentRow(co.ana.id)).toEqual(snapshot);
    });

    it("lists agents: full records for admins and supervisors, a directory for agents", async () => {
      const asAdmin = await api.call("GET", "/v1/agents", t.admin);
      expect(asAdmin.status).toBe(200);
      const ids = asAdmin.body.items.map((a: any) => a.id);
      expect(ids).toEqual(expect.arrayContaining([co.ana.id, co.sofia.id, co.admin.id, nuevo.id]));
      expect(ids).not.toContain(other.ana.id);
      expect(asAdmin.body.items.find((a: any) => a.id === co.carlos.id)).toMatchObject({ email: co.carlos.email, teamIds: expect.arrayContaining([co.ventas.id, co.soporte.id]) });
      const asSupervisor = await api.call("GET", "/v1/agents", t.sofia);
      expect(asSupervisor.body.items.find((a: any) => a.id === co.ana.id).capacity).toBe(5);

      const asAgent = await api.call("GET", "/v1/agents", t.ana);
      expect(asAgent.status).toBe(200);
      const carlos = asAgent.body.items.find((a: any) => a.id === co.carlos.id);
      expect(Object.keys(carlos).sort()).toEqual(["active", "id", "name", "presence", "role", "teamIds"]);
      for (const res of [asAdmin, asSupervisor, asAgent]) expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|password_hash|scrypt/);

      const soporte = await api.call("GET", `/v1/agents?teamId=${co.soporte.id}`, t.admin);
      expect(soporte.body.items.map((a: any) => a.id).sort()).toEqual([co.carlos.id, co.pedro.id, co.sofia.id, nuevo.id].sort());
      expectInvalid(await api.call("GET", "/v1/agents?active=maybe", t.admin));
      expect((await api.call("GET", `/v1/agents/${co.ana.id}`, t.ana)).body.name).toBe("Ana");
    });

    it("updates role, name, skills, time zone, locale and teams; kept teams keep their place", async () => {
      const res = await api.call("PATCH", `/v1/agents/${co.carlos.id}`, t.admin, {
        name: "Carlos R.", role: "supervisor", skills: ["garantías"], timeZone: "America/Lima", locale: "en",
        teamIds: [co.soporte.id, co.administracion.id],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ name: "Carlos R.", role: "supervisor", skills: ["garantías"], timeZone: "America/Lima", locale: "en" });
      expect(res.body.teamIds.sort()).toEqual([co.soporte.id, co.administracion.id].sort());
      expect((await members(co.ventas.id)).map((m) => m.agentId)).not.toContain(co.carlos.id);
      expect((await members(co.soporte.id))[0]).toEqual({ agentId: co.carlos.id, position: 0, autoAssign: true });
      // A supervisor joining a team watches it rather than receiving its chats.
      expect((await members(co.administracion.id)).at(-1)).toEqual({ agentId: co.carlos.id, position: 1, autoAssign: false });
    });

    it("records a capacity change as exactly one agent.capacity_changed event, and none when unchanged", async () => {
      const res = await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.admin, { capacity: 8 });
      expect(res.status).toBe(200);
      expect(res.body.capacity).toBe(8);
      const events = await capacityEvents(co.ana.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ tenant_id: co.tenantId, agent_id: co.ana.id, payload: { from: 5, to: 8 } });
      expect((await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.admin, { capacity: 8, name: "Ana" })).status).toBe(200);
      expect(await capacityEvents(co.ana.id)).toHaveLength(1);
    });

    it("offers waiting chats to an agent whose capacity went up", async () => {
      const co3 = await seedCompany(api.db, { capacity: 1 });
      const admin3 = await login(api, co3.admin.email);
      for (let i = 0; i < 3; i++) expect((await customerWrites(co3.channel.phoneNumberId, "Hola")).assignee_id).not.toBeNull();
      const waiting = await customerWrites(co3.channel.phoneNumberId, "Hola");
      expect(waiting.assignee_id).toBeNull();
      expect((await api.call("PATCH", `/v1/agents/${co3.maria.id}`, admin3, { capacity: 2 })).status).toBe(200);
      const [row] = await api.sql`SELECT assignee_id FROM conversations WHERE id = ${waiting.id}`;
      expect(row!.assignee_id).toBe(co3.maria.id);
    });

    it("deactivates an agent: sessions end, sign-in is refused, presence goes offline; reactivation restores sign-in", async () => {
      const session = await login(api, co.pedro.email);
      expect((await api.call("GET", "/v1/me", session)).status).toBe(200);
      const res = await api.call("PATCH", `/v1/agents/${co.pedro.id}`, t.admin, { active: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: false, presence: "offline" });
      expectCode(await api.call("GET", "/v1/me", session), 401, "unauthenticated");
      expectCode(await api.call("POST", "/v1/auth/login", undefined, { email: co.pedro.email, password: PASSWORD }), 401, "invalid_credentials");
      const [presence] = await api.sql`SELECT envelope FROM outbox WHERE type = 'agent.presence_changed' AND envelope->>'agent_id' = ${co.pedro.id}`;
      expect(presence!.envelope.payload).toEqual({ from: "online", to: "offline", source: "admin" });
      expect((await api.call("GET", "/v1/agents?active=false", t.admin)).body.items.map((a: any) => a.id)).toEqual([co.pedro.id]);

      expect((await api.call("PATCH", `/v1/agents/${co.pedro.id}`, t.admin, { active: true })).status).toBe(200);
      expect(await login(api, co.pedro.email)).toMatch(/^cs_/);
    });

    it("does not let an admin deactivate or demote himself", async () => {
      expectCode(await api.call("PATCH", `/v1/agents/${co.admin.id}`, t.admin, { active: false }), 409, "conflict");
      expectCode(await api.call("PATCH", `/v1/agents/${co.admin.id}`, t.admin, { role: "agent" }), 409, "conflict");
      expect((await agentRow(co.admin.id))).toMatchObject({ active: true, role: "admin" });
    });

    it("resets a password: the old one stops working and the agent's sessions end", async () => {
      const session = await login(api, co.maria.email);
      expectInvalid(await api.call("POST", `/v1/agents/${co.maria.id}/password`, t.admin, { password: "corta" }));
      expect((await api.call("POST", `/v1/agents/${co.maria.id}/password`, t.admin, { password: "nueva-clave-segura" })).status).toBe(200);
      expectCode(await api.call("GET", "/v1/me", session), 401, "unauthenticated");
      expectCode(await api.call("POST", "/v1/auth/login", undefined, { email: co.maria.email, password: PASSWORD }), 401, "invalid_credentials");
      expect((await api.call("POST", "/v1/auth/login", undefined, { email: co.maria.email, password: "nueva-clave-segura" })).status).toBe(200);
      expectCode(await api.call("POST", `/v1/agents/${co.maria.id}/password`, t.sofia, { password: "otra-clave-segura" }), 403, "forbidden");
    });

    it("reports another workspace's agents and teams as not found and changes nothing", async () => {
      const snapshot = await agentRow(other.ana.id);
      expectCode(await api.call("GET", `/v1/agents/${other.ana.id}`, t.admin), 404, "not_found");
      expectCode(await api.call("PATCH", `/v1/agents/${other.ana.id}`, t.admin, { name: "Robada" }), 404, "not_found");
      expectCode(await api.call("PATCH", `/v1/agents/${other.ana.id}`, t.admin, { capacity: 50 }), 404, "not_found");
      expectCode(await api.call("POST", `/v1/agents/${other.ana.id}/password`, t.admin, { password: "robada-robada" }), 404, "not_found");
      expect(await agentRow(other.ana.id)).toEqual(snapshot);
      expect(await capacityEvents(other.ana.id)).toHaveLength(0);

      const before = await count("agents");
      expectCode(await api.call("POST", "/v1/agents", t.admin, { email: "cruzado@muebles.mx", name: "X", teamIds: [other.ventas.id] }), 404, "not_found");
      expect(await count("agents")).toBe(before);
      const anaTeams = await members(co.ventas.id);
      expectCode(await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.admin, { teamIds: [co.ventas.id, other.soporte.id], name: "Cambiada" }), 404, "not_found");
      expect(await members(co.ventas.id)).toEqual(anaTeams);
      expect((await agentRow(co.ana.id))!.name).toBe("Ana");
    });

    it("refuses writes to supervisors and agents with 403 forbidden", async () => {
      const before = await count("agents");
      expectCode(await api.call("POST", "/v1/agents", t.sofia, { email: "s@muebles.mx", name: "S" }), 403, "forbidden");
      expectCode(await api.call("POST", "/v1/agents", t.ana, { email: "a@muebles.mx", name: "A" }), 403, "forbidden");
      expectCode(await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.ana, { capacity: 50 }), 403, "forbidden");
      // The role is refused before the body is looked at.
      expectCode(await api.call("PATCH", `/v1/agents/${co.ana.id}`, t.ana, { capacity: "lots" }), 403, "forbidden");
      expect(await count("agents")).toBe(before);
    });
  });

});
