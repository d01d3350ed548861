import { describe, expect, it } from "vitest";
import { adminFixture } from "./support/admin.js";

/** Admin configuration through the HTTP API. */
describe("admin API: teams, routing rules, channels, workspace", async () => {
  const { api, co, other, t, otherT, expectInvalid, expectCode, teamRow, members, count, customerWrites } = await adminFixture();

  describe("teams", () => {
    const schedule = { 1: [["09:00", "14:00"], ["15:00", "19:00"]], 6: [["10:00", "14:00"]] };
    let postventa: any;

    it("creates a team with its schedule and settings", async () => {
      const res = await api.call("POST", "/v1/teams", t.admin, {
        name: "Postventa", department: "soporte", timeZone: "America/Bogota", businessHours: schedule, holidays: ["2026-12-25"],
        strategy: "least_loaded", sticky: false, agentsSeeAll: true, isSales: false, awayMessage: "Volvemos a las 9", firstResponseTargetSeconds: 120,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      postventa = res.body;
      expect(postventa).toMatchObject({ name: "Postventa", department: "soporte", timeZone: "America/Bogota", businessHours: schedule,
        holidays: ["2026-12-25"], strategy: "least_loaded", sticky: false, agentsSeeAll: true, awayMessage: "Volvemos a las 9",
        firstResponseTargetSeconds: 120, members: [], tenantId: co.tenantId });
      expect(postventa).not.toHaveProperty("rrLastAgentId");
      const minimal = await api.call("POST", "/v1/teams", t.admin, { name: "Cobranza" });
      expect(minimal.status).toBe(201);
      expect(minimal.body).toMatchObject({ strategy: "round_robin", businessHours: null, holidays: [] });
    });

    it("rejects invalid schedules and settings with 400 and creates nothing", async () => {
      const before = await count("teams");
      const bad = [
        { name: "T", businessHours: { 1: [["18:00", "09:00"]] } },
        { name: "T", businessHours: { 1: [["9:00", "18:00"]] } },
        { name: "T", businessHours: { 1: [["09:00", "25:00"]] } },
        { name: "T", businessHours: { 8: [["09:00", "18:00"]] } },
        { name: "T", businessHours: { 1: [["09:00", "13:00"], ["12:00", "18:00"]] } },
        { name: "T", businessHours: { 1: [["09:00"]] } },
        { name: "T", holidays: ["25/12/2026"] },
        { name: "T", holidays: ["2026-13-01"] },
        { name: "T", strategy: "random" },
        { name: "T", timeZone: "Mexico City" },
        { name: "T", firstResponseTargetSeconds: 0 },
        { name: "" },
        { department: "ventas" },
      ];
      for (const body of bad) expectInvalid(await api.call("POST", "/v1/teams", t.admin, body));
      expect(await count("teams")).toBe(before);
      expectCode(await api.call("POST", "/v1/teams", t.admin, { name: "postventa" }), 409, "conflict");
      expect(await count("teams")).toBe(before);
    });

    it("updates a team and lists it for every role", async () => {
      const res = await api.call("PATCH", `/v1/teams/${postventa.id}`, t.admin, { strategy: "manual", businessHours: null, awayMessage: null, isSales: true });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ strategy: "manual", businessHours: null, awayMessage: null, isSales: true, name: "Postventa" });
      const snapshot = await teamRow(postventa.id);
      expectInvalid(await api.call("PATCH", `/v1/teams/${postventa.id}`, t.admin, {}));
      expectInvalid(await api.call("PATCH", `/v1/teams/${postventa.id}`, t.admin, { businessHours: { 2: [["10:00", "10:00"]] } }));
      expectCode(await api.call("PATCH", `/v1/teams/${postventa.id}`, t.admin, { name: "Ventas" }), 409, "conflict");
      expect(await teamRow(postventa.id)).toEqual(snapshot);
      for (const token of [t.admin, t.sofia, t.ana]) {
        const list = await api.call("GET", "/v1/teams", token);
        expect(list.status).toBe(200);
        expect(list.body.items.map((x: any) => x.name)).toEqual(expect.arrayContaining(["Ventas", "Soporte", "Administración", "Postventa"]));
        expect(list.body.items.map((x: any) => x.id)).not.toContain(other.ventas.id);
      }
    });

    it("replaces members in rotation order, refusing foreign and repeated agents", async () => {
      const res = await api.call("PUT", `/v1/teams/${postventa.id}/members`, t.admin, {
        members: [{ agentId: co.pedro.id }, { agentId: co.ana.id, autoAssign: false }, { agentId: co.maria.id }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const want = [{ agentId: co.pedro.id, position: 0, autoAssign: true }, { agentId: co.ana.id, position: 1, autoAssign: false }, { agentId: co.maria.id, position: 2, autoAssign: true }];
      expect(res.body.members).toEqual(want);
      expectCode(await api.call("PUT", `/v1/teams/${postventa.id}/members`, t.admin, { members: [{ agentId: co.pedro.id }, { agentId: other.ana.id }] }), 404, "not_found");
      expectInvalid(await api.call("PUT", `/v1/teams/${postventa.id}/members`, t.admin, { members: [{ agentId: co.pedro.id }, { agentId: co.pedro.id }] }));
      expectInvalid(await api.call("PUT", `/v1/teams/${postventa.id}/members`, t.admin, [co.pedro.id]));
      expect(await members(postventa.id)).toEqual(want);
      expect((await api.call("PUT", `/v1/teams/${postventa.id}/members`, t.admin, { members: [] })).body.members).toEqual([]);
    });

    it("reports another workspace's team as not found and changes nothing", async () => {
      const snapshot = await teamRow(other.ventas.id);
      const before = await members(other.ventas.id);
      expectCode(await api.call("PATCH", `/v1/teams/${other.ventas.id}`, t.admin, { name: "Robado" }), 404, "not_found");
      expectCode(await api.call("PUT", `/v1/teams/${other.ventas.id}/members`, t.admin, { members: [{ agentId: co.ana.id }] }), 404, "not_found");
      expectCode(await api.call("PUT", `/v1/teams/${other.ventas.id}/members`, otherT.admin, { members: [{ agentId: co.ana.id }] }), 404, "not_found");
      expect(await teamRow(other.ventas.id)).toEqual(snapshot);
      expect(await members(other.ventas.id)).toEqual(before);
      expectCode(await api.call("POST", "/v1/teams", t.sofia, { name: "De Sofía" }), 403, "forbidden");
    });
  });

  describe("routing rules", () => {
    let factura: any;

    it("creates rules that the router then applies", async () => {
      const res = await api.call("POST", "/v1/routing-rules", t.admin, { kind: "keyword", pattern: " Factura ", teamId: co.administracion.id });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      factura = res.body;
      expect(factura).toMatchObject({ kind: "keyword", pattern: "Factura", teamId: co.administracion.id, priority: 100, territory: null });
      const prefix = await api.call("POST", "/v1/routing-rules", t.admin, { kind: "phone_prefix", pattern: "5281", teamId: co.soporte.id, territory: "Monterrey", priority: 10 });
      expect(prefix.status).toBe(201);
      expect((await api.call("POST", "/v1/routing-rules", t.admin, { kind: "menu", pattern: "opt_ventas", teamId: co.ventas.id })).status).toBe(201);

      const conv = await customerWrites(co.channel.phoneNumberId, "Necesito mi FACTURA de marzo");
      expect(conv.team_id).toBe(co.administracion.id);
    });

    it("validates kind and pattern together, also after an edit", async () => {
      const before = await count("routing_rules");
      for (const body of [
        { kind: "phone_prefix", pattern: "+52", teamId: co.ventas.id },
        { kind: "phone_prefix", pattern: "52 81", teamId: co.ventas.id },
        { kind: "keyword", pattern: "¡¿!?", teamId: co.ventas.id },
        { kind: "regex", pattern: "x", teamId: co.ventas.id },
        { kind: "keyword", pattern: "x", teamId: "nope" },
        { kind: "keyword", pattern: "x", teamId: co.ventas.id, priority: -1 },
        { kind: "keyword", teamId: co.ventas.id },
      ]) expectInvalid(await api.call("POST", "/v1/routing-rules", t.admin, body));
      expect(await count("routing_rules")).toBe(before);

      const snapshot = (await api.sql`SELECT * FROM routing_rules WHERE id = ${factura.id}`)[0];
      expectInvalid(await api.call("PATCH", `/v1/routing-rules/${factura.id}`, t.admin, { kind: "phone_prefix" }));
      expectInvalid(await api.call("PATCH", `/v1/routing-rules/${factura.id}`, t.admin, {}));
      expect((await api.sql`SELECT * FROM routing_rules WHERE id = ${factura.id}`)[0]).toEqual(snapshot);

      const res = await api.call("PATCH", `/v1/routing-rules/${factura.id}`, t.admin, { pattern: "facturación", priority: 5, teamId: co.soporte.id });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ kind: "keyword", pattern: "facturación", priority: 5, teamId: co.soporte.id });
    });

    it("never points a rule at, or touches, another workspace's team or rule", async () => {
      const before = await count("routing_rules");
      expectCode(await api.call("POST", "/v1/routing-rules", t.admin, { kind: "keyword", pattern: "robo", teamId: other.ventas.id }), 404, "not_found");
      expectCode(await api.call("PATCH", `/v1/routing-rules/${factura.id}`, t.admin, { teamId: other.soporte.id }), 404, "not_found");
      expect(await count("routing_rules")).toBe(before);
      expectCode(await api.call("PATCH", `/v1/routing-rules/${factura.id}`, otherT.admin, { pattern: "robo" }), 404, "not_found");
      expectCode(await api.call("DELETE", `/v1/routing-rules/${factura.id}`, otherT.admin), 404, "not_found");
      expect((await api.sql`SELECT pattern FROM routing_rules WHERE id = ${factura.id}`)[0]!.pattern).toBe("facturación");
      expect((await api.call("GET", "/v1/routing-rules", otherT.admin)).body.items).toEqual([]);
    });

    it("lists rules for admins and supervisors only, and deletes them", async () => {
      for (const token of [t.admin, t.sofia]) {
        const res = await api.call("GET", "/v1/routing-rules", token);
        expect(res.status).toBe(200);
        expect(res.body.items.map((r: any) => r.kind)).toEqual(["keyword", "menu", "phone_prefix"]);
      }
      expectCode(await api.call("GET", "/v1/routing-rules", t.ana), 403, "forbidden");
      expectCode(await api.call("DELETE", `/v1/routing-rules/${factura.id}`, t.sofia), 403, "forbidden");
      expect((await api.call("DELETE", `/v1/routing-rules/${factura.id}`, t.admin)).status).toBe(200);
      expectCode(await api.call("DELETE", `/v1/routing-rules/${factura.id}`, t.admin), 404, "not_found");
    });
  });

  describe("channels", () => {
    it("connects a number whose webhooks then reach this workspace", async () => {
      const res = await api.call("POST", "/v1/channels", t.admin, { name: "Sucursal Monterrey", phoneNumberId: "998877665544", displayPhone: "+52 81 4444 0000" });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ name: "Sucursal Monterrey", phoneNumberId: "998877665544", tenantId: co.tenantId });
      const conv = await customerWrites("998877665544", "Hola");
      expect((await api.sql`SELECT tenant_id, channel_id FROM conversations WHERE id = ${conv.id}`)[0]).toEqual({ tenant_id: co.tenantId, channel_id: res.body.id });

      const list = await api.call("GET", "/v1/channels", t.ana);
      expect(list.status).toBe(200);
      expect(list.body.items.map((c: any) => c.id).sort()).toEqual([co.channel.id, res.body.id].sort());
    });

    it("refuses a number already connected (409) and malformed numbers (400)", async () => {
      const before = await count("channels");
      expectCode(await api.call("POST", "/v1/channels", otherT.admin, { name: "Copia", phoneNumberId: "998877665544", displayPhone: "+52 81 4444 0000" }), 409, "conflict");
      expectInvalid(await api.call("POST", "/v1/channels", t.admin, { name: "X", phoneNumberId: "abc", displayPhone: "+52 81 4444 0000" }));
      expectInvalid(await api.call("POST", "/v1/channels", t.admin, { name: "X", phoneNumberId: "123", displayPhone: "llámame" }));
      expectInvalid(await api.call("POST", "/v1/channels", t.admin, { phoneNumberId: "123", displayPhone: "+52 1" }));
      expectCode(await api.call("POST", "/v1/channels", t.sofia, { name: "X", phoneNumberId: "1234", displayPhone: "+52 81 4444 0000" }), 403, "forbidden");
      expect(await count("channels")).toBe(before);
    });
  });

  describe("workspace settings", () => {
    it("reads and changes the settings (admins only)", async () => {
      const get = await api.call("GET", "/v1/workspace", t.admin);
      expect(get.status).toBe(200);
      expect(get.body).toMatchObject({ id: co.tenantId, name: "Muebles del Norte", defaultTeamId: co.ventas.id, firstResponseTargetSeconds: 300 });
      const res = await api.call("PATCH", "/v1/workspace", t.admin, { name: "Muebles del Norte S.A.", reopenWindowSeconds: 3600, firstResponseTargetSeconds: 180, defaultTeamId: co.soporte.id });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ name: "Muebles del Norte S.A.", reopenWindowSeconds: 3600, firstResponseTargetSeconds: 180, defaultTeamId: co.soporte.id });
      expect((await customerWrites(co.channel.phoneNumberId, "Buenas")).team_id).toBe(co.soporte.id);
      expect((await api.call("PATCH", "/v1/workspace", t.admin, { defaultTeamId: null })).body.defaultTeamId).toBeNull();
      expect((await api.call("PATCH", "/v1/workspace", t.admin, { defaultTeamId: co.ventas.id })).body.defaultTeamId).toBe(co.ventas.id);
    });

    it("refuses bad values, foreign teams and non-admins, changing nothing", async () => {
      const snapshot = (await api.sql`SELECT * FROM tenants WHERE id = ${co.tenantId}`)[0];
      for (const body of [{}, { reopenWindowSeconds: -1 }, { firstResponseTargetSeconds: 0 }, { name: "" }, { defaultTeamId: "x" }]) {
        expectInvalid(await api.call("PATCH", "/v1/workspace", t.admin, body));
      }
      expectCode(await api.call("PATCH", "/v1/workspace", t.admin, { defaultTeamId: other.ventas.id, name: "Cambiado" }), 404, "not_found");
      expectCode(await api.call("PATCH", "/v1/workspace", t.sofia, { name: "De Sofía" }), 403, "forbidden");
      expectCode(await api.call("GET", "/v1/workspace", t.ana), 403, "forbidden");
      expect((await api.sql`SELECT * FROM tenants WHERE id = ${co.tenantId}`)[0]).toEqual(snapshot);
      expect((await api.call("GET", "/v1/workspace", otherT.admin)).body.id).toBe(other.tenantId);
    });
  });
});
