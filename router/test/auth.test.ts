import { describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import { PASSWORD, seedCompany } from "./support/workspace.js";

describe("authentication: sessions, API tokens, throttling", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);

  it("signs in with email (any case) and password; the token acts as that agent", async () => {
    const res = await api.call("POST", "/v1/auth/login", undefined, { email: co.ana.email.toUpperCase(), password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.agent).toMatchObject({ name: "Ana", role: "agent" });
    expect(JSON.stringify(res.body)).not.toContain("scrypt");
    const me = await api.call("GET", "/v1/me", res.body.token);
    expect(me.body).toMatchObject({ id: co.ana.id, teamIds: [co.ventas.id] });
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const wrong = await api.call("POST", "/v1/auth/login", undefined, { email: co.carlos.email, password: "nope" });
    const unknown = await api.call("POST", "/v1/auth/login", undefined, { email: "nadie@muebles.mx", password: "nope" });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("throttles password guessing per email", async () => {
    for (let i = 0; i < 10; i++) await api.call("POST", "/v1/auth/login", undefined, { email: co.maria.email, password: `guess-${i}` });
    const blocked = await api.call("POST", "/v1/auth/login", undefined, { email: co.maria.email, password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe("rate_limited");
    api.clock.advance(16 * 60_000);
    expect((await api.call("POST", "/v1/auth/login", undefined, { email: co.maria.email, password: PASSWORD })).status).toBe(200);
  });

  it("expires sessions after 12 hours", async () => {
    const { body } = await api.call("POST", "/v1/auth/login", undefined, { email: co.pedro.email, password: PASSWORD });
    api.clock.advance(11 * 3600_000);
    expect((await api.call("GET", "/v1/me", body.token)).status).toBe(200);
    api.clock.advance(2 * 3600_000);
    expect((await api.call("GET", "/v1/me", body.token)).status).toBe(401);
  });

  it("issues API tokens that work until revoked, stored only as hashes", async () => {
    const session = (await api.call("POST", "/v1/auth/login", undefined, { email: co.sofia.email, password: PASSWORD })).body.token;
    const created = await api.call("POST", "/v1/api-tokens", session, { name: "CRM" });
    expect(created.status).toBe(200);
    expect(created.body.token).toMatch(/^ck_/);
    const stored = await api.sql`SELECT token_hash FROM auth_tokens WHERE id = ${created.body.id}`;
    expect(stored[0]!.token_hash).not.toContain(created.body.token);
    api.clock.advance(48 * 3600_000);
    expect((await api.call("GET", "/v1/conversations/counts", created.body.token)).status).toBe(200);
    const fresh = (await api.call("POST", "/v1/auth/login", undefined, { email: co.sofia.email, password: PASSWORD })).body.token;
    expect((await api.call("DELETE", `/v1/api-tokens/${created.body.id}`, fresh)).status).toBe(200);
    expect((await api.call("GET", "/v1/conversations/counts", created.body.token)).status).toBe(401);
  });

  it("serves the OpenAPI document without a token", async () => {
    const res = await api.call("GET", "/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(["/conversations", "/conversations/{id}/claim", "/auth/login"]));
  });
});
