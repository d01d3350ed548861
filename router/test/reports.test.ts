import { describe, expect, it } from "vitest";
import { REPORTS_SERVICE_TOKEN, startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { lastCompletePeriod, parsePeriodKey } from "../src/domain/reports/periods.js";
import { claimReport } from "../src/domain/reports/service.js";

const SERVICE = REPORTS_SERVICE_TOKEN;
const zone = "America/Mexico_City";

describe("report periods", () => {
  // Monday 2 March 2026, 09:00 in Mexico City (UTC−6).
  const now = new Date("2026-03-02T15:00:00Z");
  it("is the last complete day, Monday–Sunday week or calendar month in the schedule's zone", () => {
    expect(lastCompletePeriod("daily", zone, now)).toEqual({
      key: "daily:2026-03-01", from: new Date("2026-03-01T06:00:00Z"), to: new Date("2026-03-02T06:00:00Z"), firstDay: "2026-03-01", lastDay: "2026-03-01",
    });
    expect(lastCompletePeriod("weekly", zone, now)).toMatchObject({ key: "weekly:2026-02-23", from: new Date("2026-02-23T06:00:00Z"), to: new Date("2026-03-02T06:00:00Z"), lastDay: "2026-03-01" });
    expect(lastCompletePeriod("monthly", zone, now)).toMatchObject({ key: "monthly:2026-02-01", from: new Date("2026-02-01T06:00:00Z"), to: new Date("2026-03-01T06:00:00Z"), lastDay: "2026-02-28" });
    // 05:00Z on the 2nd is still the 1st in Mexico City: yesterday is 28 February.
    expect(lastCompletePeriod("daily", zone, new Date("2026-03-02T05:00:00Z")).key).toBe("daily:2026-02-28");
    // Madrid moves its clocks on 29 March 2026: that day lasts 23 hours.
    const dst = parsePeriodKey("daily:2026-03-29", "Europe/Madrid");
    expect(dst.to.getTime() - dst.from.getTime()).toBe(23 * 3600_000);
  });

  it("refuses keys that do not start such a period", () => {
    for (const key of ["daily:2026-02-30", "weekly:2026-02-24", "monthly:2026-02-02", "hourly:2026-02-01", "daily:2026-3-1"]) {
      expect(() => parsePeriodKey(key, zone), key).toThrow(/Not a report period/);
    }
  });
});

describe("scheduled reports through the API", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const t = await loginAll(api, co);
  const schedule = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await api.call("POST", "/v1/reports/schedules", token, { name: "Diario", frequency: "daily", timeZone: zone, metricIds: ["conversations_opened"], ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  const claim = (scheduleId: string, periodKey = "daily:2026-03-01") => api.call("POST", "/v1/reports/service/claims", SERVICE, { scheduleId, periodKey });
  const finish = (runId: string, claimToken: string, text = "a,b\n") => api.call("PUT", `/v1/reports/service/runs/${runId}`, SERVICE, {
    status: "done", claimToken, fileName: "informe.csv", contentType: "text/csv; charset=utf-8", contentBase64: Buffer.from(text).toString("base64"),
  });
  const dueIds = async () => (await api.call("GET", "/v1/reports/service/due", SERVICE)).body.items.map((d: { scheduleId: string }) => d.scheduleId);

  it("lets exactly one of many concurrent claimers win a (schedule, period)", async () => {
    const s = await schedule(t.admin);
    const results = await Promise.all(Array.from({ length: 8 }, () => claim(s.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill("conflict"));
    // The same race straight on the domain function: two claimers, one wins.
    const other = await schedule(t.admin);
    const two = await Promise.allSettled([claimReport(api.deps, other.id, "daily:2026-03-01"), claimReport(api.deps, other.id, "daily:2026-03-01")]);
    expect(two.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const [row] = await api.sql`SELECT count(*)::int AS n FROM report_runs WHERE schedule_id IN (${s.id}, ${other.id})`;
    expect(row!.n).toBe(2);
  });

  it("gives the winner the context, takes the file once, and stops listing it as due", async () => {
    const s = await schedule(t.admin, { webhookUrl: "https://hooks.example.com/centralita", breakdown: "agent" });
    expect(s.webhookSecret).toMatch(/^whsec_/);
    expect(await dueIds()).toContain(s.id);
    const won = await claim(s.id);
    expect(won.status).toBe(201);
    expect(won.body).toMatchObject({ period: { key: "daily:2026-03-01", from: "2026-03-01T06:00:00.000Z", to: "2026-03-02T06:00:00.000Z" }, attempt: 1 });
    expect(won.body.schedule).toMatchObject({ id: s.id, breakdown: "agent", webhookSecret: s.webhookSecret });
    expect(won.body.agents.map((a: { name: string }) => a.name)).toContain("Ana");
    expect(won.body.teams.map((x: { name: string }) => x.name)).toEqual(["Administración", "Soporte", "Ventas"]);
    expect(await dueIds()).not.toContain(s.id);
    expect((await finish(won.body.runId, won.body.claimToken, "métrica,valor\n")).status).toBe(200);
    expect((await finish(won.body.runId, won.body.claimToken)).body.error.code).toBe("conflict");
    expect((await claim(s.id)).status).toBe(409);
    const files = (await api.call("GET", "/v1/reports/files", t.admin)).body.items;
    expect(files.find((f: { id: string }) => f.id === won.body.runId)).toMatchObject({ status: "done", fileName: "informe.csv", sizeBytes: 15, periodKey: "daily:2026-03-01" });
    const download = await api.app.request(`/v1/reports/files/${won.body.runId}`, { headers: { authorization: `Bearer ${t.admin}` } });
    expect(download.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(await download.text()).toBe("métrica,valor\n");
  });

  it("retakes a claim whose process died, and refuses the old claimer's file", async () => {
    const s = await schedule(t.admin);
    const first = (await claim(s.id)).body;
    api.clock.advance(11 * 60_000);
    expect(await dueIds()).toContain(s.id);
    const second = await claim(s.id);
    expect(second.status).toBe(201);
    expect(second.body.attempt).toBe(2);
    expect((await finish(first.runId, first.claimToken)).body.error.code).toBe("conflict");
    expect((await finish(second.body.runId, second.body.claimToken)).status).toBe(200);
    api.clock.advance(-11 * 60_000);
  });

  it("retries a failed run after a pause, at most three times", async () => {
    const s = await schedule(t.admin);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const c = await claim(s.id);
      expect(c.status, `attempt ${attempt}`).toBe(201);
      await api.call("PUT", `/v1/reports/service/runs/${c.body.runId}`, SERVICE, { status: "failed", claimToken: c.body.claimToken, error: "ClickHouse unreachable" });
      expect((await claim(s.id)).status).toBe(409);
      api.clock.advance(6 * 60_000);
    }
    expect((await claim(s.id)).status).toBe(409);
    expect(await dueIds()).not.toContain(s.id);
    api.clock.advance(-18 * 60_000);
  });

  it("claims only the current period of an active schedule", async () => {
    const s = await schedule(t.admin);
    expect((await claim(s.id, "daily:2026-02-27")).body.error.code).toBe("invalid_input");
    await api.call("PATCH", `/v1/reports/schedules/${s.id}`, t.admin, { active: false });
    expect((await claim(s.id)).body.error.code).toBe("not_found");
    expect(await dueIds()).not.toContain(s.id);
  });

  it("opens the service endpoints only with the service credential, and nothing else with it", async () => {
    expect((await api.call("GET", "/v1/reports/service/due")).status).toBe(401);
    expect((await api.call("GET", "/v1/reports/service/due", "crs_not-the-token-at-all-0000000000")).status).toBe(401);
    expect((await api.call("GET", "/v1/reports/service/due", t.admin)).body.error.code).toBe("forbidden");
    for (const path of ["/v1/me", "/v1/reports/schedules", "/v1/reports/files", "/v1/conversations"]) {
      expect((await api.call("GET", path, SERVICE)).status, path).toBe(401);
    }
  });
});

describe("who manages which schedule", async () => {
  const api = await startHarness();
  const co = await seedCompany(api.db);
  const t = await loginAll(api, co);
  const body = { name: "Semanal", frequency: "weekly", timeZone: zone, metricIds: ["csat_avg"] };

  it("keeps a supervisor's schedules inside his teams and hides the rest from him", async () => {
    const mine = await api.call("POST", "/v1/reports/schedules", t.sofia, body);
    expect(mine.body.teamIds?.sort()).toEqual([co.ventas.id, co.soporte.id].sort());
    expect((await api.call("POST", "/v1/reports/schedules", t.sofia, { ...body, teamIds: [co.administracion.id] })).body.error.code).toBe("forbidden");
    const everything = await api.call("POST", "/v1/reports/schedules", t.admin, body);
    expect(everything.body.teamIds).toBeNull();
    const listed = (await api.call("GET", "/v1/reports/schedules", t.sofia)).body.items.map((s: { id: string }) => s.id);
    expect(listed).toEqual([mine.body.id]);
    expect((await api.call("PATCH", `/v1/reports/schedules/${everything.body.id}`, t.sofia, { active: false })).body.error.code).toBe("not_found");
    expect((await api.call("GET", "/v1/reports/schedules", t.admin)).body.items).toHaveLength(2);
    expect((await api.call("GET", "/v1/reports/schedules", t.ana)).body.error.code).toBe("forbidden");
  });

  it("shows the webhook secret when it is made or rotated, never in lists", async () => {
    const made = (await api.call("POST", "/v1/reports/schedules", t.admin, { ...body, webhookUrl: "https://hooks.example.com/x" })).body;
    expect(made.webhookSecret).toMatch(/^whsec_/);
    const listed = (await api.call("GET", "/v1/reports/schedules", t.admin)).body.items.find((s: { id: string }) => s.id === made.id);
    expect(listed).toMatchObject({ hasWebhookSecret: true });
    expect(listed.webhookSecret).toBeUndefined();
    expect(JSON.stringify(listed)).not.toContain("Sealed");
    const rotated = (await api.call("PATCH", `/v1/reports/schedules/${made.id}`, t.admin, { rotateWebhookSecret: true })).body;
    expect(rotated.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.webhookSecret).not.toBe(made.webhookSecret);
    const cleared = (await api.call("PATCH", `/v1/reports/schedules/${made.id}`, t.admin, { webhookUrl: null })).body;
    expect(cleared).toMatchObject({ webhookUrl: null, hasWebhookSecret: false });
  });

  it("refuses unknown zones and teams of another workspace", async () => {
    expect((await api.call("POST", "/v1/reports/schedules", t.admin, { ...body, timeZone: "Mars/Olympus" })).body.error.code).toBe("invalid_input");
    expect((await api.call("POST", "/v1/reports/schedules", t.admin, { ...body, metricIds: ["DROP TABLE"] })).body.error.code).toBe("invalid_input");
    expect((await api.call("POST", "/v1/reports/schedules", t.admin, { ...body, teamIds: [co.ana.id] })).status).toBeGreaterThanOrEqual(400);
  });
});
