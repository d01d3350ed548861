import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { serve } from "@hono/node-server";
import { createApp, manualClock, verifySignature } from "@centralita/router";
import { freshDatabase } from "../../router/test/support/database";
import { seedCompany, PASSWORD } from "../../router/test/support/workspace";
import { tempClickHouse } from "../../analytics/test/support/clickhouse";
import { at, History, loadEvents } from "../../analytics/test/support/history";
import { startReportScheduler } from "./report-scheduler";

const SERVICE_TOKEN = "crs_scheduler-test-token-0123456789abcdef";
const zone = "America/Mexico_City";

/** A router on a loopback port whose clock says Monday 2 March 2026, 09:00 in Mexico City. */
async function startRouter() {
  const database = await freshDatabase();
  const co = await seedCompany(database.db);
  const clock = manualClock(new Date("2026-03-02T15:00:00Z"));
  const app = createApp({ db: database.db, clock, whatsapp: { appSecret: "x".repeat(20), verifyToken: "verify-token" }, secretKey: "7f".repeat(32), reportsServiceToken: SERVICE_TOKEN });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database.close();
  });
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const json = async (method: string, path: string, token?: string, body?: unknown) => JSON.parse((await call(method, path, token, body)).bytes.toString("utf8"));
  const login = async (email: string) => (await json("POST", "/v1/auth/login", undefined, { email, password: PASSWORD })).token as string;
  return { url, co, call, json, login };
}

/** A webhook receiver that keeps every request. */
async function startReceiver() {
  const received: Array<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe("report scheduler", async () => {
  const router = await startRouter();
  const { co } = router;
  const receiver = await startReceiver();
  const clickhouse = await tempClickHouse();
  afterAll(() => clickhouse.close());

  // Sunday 1 March 2026 in Mexico City: Ana answers one Ventas chat in 2 min; Carlos one Ventas chat in 5 min and
  // one Soporte chat in 2 min. Monday's chat is outside yesterday's period.
  const h = new History();
  Object.assign(h, { tenantId: co.tenantId });
  h.conversation({ teamId: co.ventas.id }).open(at("2026-03-01T15:00:00")).assign(at("2026-03-01T15:01:00"), co.ana.id).agent(at("2026-03-01T15:02:00"));
  h.conversation({ teamId: co.ventas.id }).open(at("2026-03-01T16:00:00")).assign(at("2026-03-01T16:01:00"), co.carlos.id).agent(at("2026-03-01T16:05:00"));
  h.conversation({ teamId: co.soporte.id }).open(at("2026-03-01T17:00:00")).assign(at("2026-03-01T17:01:00"), co.carlos.id).agent(at("2026-03-01T17:02:00"));
  h.conversation({ teamId: co.ventas.id }).open(at("2026-03-02T14:00:00")).assign(at("2026-03-02T14:01:00"), co.ana.id).agent(at("2026-03-02T14:30:00"));
  await loadEvents(clickhouse.client, h.events);

  const admin = await router.login(co.admin.email);
  const sofia = await router.login(co.sofia.email);
  const daily = await router.json("POST", "/v1/reports/schedules", admin, {
    name: "Diario por agente", frequency: "daily", timeZone: zone, metricIds: ["conversations_opened", "first_response_time_avg"],
    breakdown: "agent", format: "csv", webhookUrl: receiver.url,
  });
  const weekly = await router.json("POST", "/v1/reports/schedules", sofia, {
    name: "Weekly by team", frequency: "weekly", timeZone: zone, metricIds: ["conversations_opened"], breakdown: "team", format: "xlsx", locale: "en",
  });
  const never = "0 0 1 1 *";
  const schedulers = [1, 2].map(() => startReportScheduler({ routerUrl: router.url, serviceToken: SERVICE_TOKEN, clickhouse: clickhouse.client, schedule: never }));
  afterAll(() => Promise.all(schedulers.map((s) => s.stop())));

  it("makes each due report once, however many instances tick together", async () => {
    const [a, b] = await Promise.all(schedulers.map((s) => s.runOnce()));
    expect(a!.made + b!.made).toBe(2);
    expect(a!.lost + b!.lost).toBe(a!.due + b!.due - 2);
    expect(a!.failed + b!.failed).toBe(0);
    expect(await schedulers[0]!.runOnce()).toEqual({ due: 0, made: 0, lost: 0, failed: 0 });
    const files = (await router.json("GET", "/v1/reports/files", admin)).items;
    expect(files.map((f: { scheduleName: string; status: string; periodKey: string }) => [f.scheduleName, f.status, f.periodKey]).sort()).toEqual([
      ["Diario por agente", "done", "daily:2026-03-01"], ["Weekly by team", "done", "weekly:2026-02-23"],
    ]);
  });

  it("writes yesterday's numbers per agent, in Spanish, as CSV, and signs the webhook POST", async () => {
    const file = (await router.json("GET", "/v1/reports/files", admin)).items.find((f: { scheduleId: string }) => f.scheduleId === daily.id);
    expect(file.fileName).toBe("Diario_por_agente_2026-03-01.csv");
    const download = await router.call("GET", `/v1/reports/files/${file.id}`, admin);
    const lines = download.bytes.toString("utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Por agente,Conversaciones abiertas (cantidad),Tiempo de primera respuesta (promedio) (segundos)");
    expect(lines).toContain("Ana,1,120");
    expect(lines).toContain("Carlos,2,210");
    // (300 + 120) / 2 for Carlos; (120 + 300 + 120) / 3 overall. Nobody else had a chat: 0 opened, no FRT.
    expect(lines).toContain("Sofía,0,");
    expect(lines.at(-1)).toBe("Total,3,180");
    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0]!;
    expect(hook.body.equals(download.bytes)).toBe(true);
    expect(verifySignature(hook.body, hook.headers["x-hub-signature-256"] as string, daily.webhookSecret)).toBe(true);
    expect(hook.headers["x-centralita-delivery"]).toBe(file.id);
    expect(file.webhookStatus).toBe("delivered");
  });

  it("keeps a supervisor's weekly report to her teams, in English, as XLSX", async () => {
    const file = (await router.json("GET", "/v1/reports/files", sofia)).items.find((f: { scheduleId: string }) => f.scheduleId === weekly.id);
    const download = await router.call("GET", `/v1/reports/files/${file.id}`, sofia);
    expect(download.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(download.bytes as unknown as ArrayBuffer);
    const rows = book.getWorksheet("Data")!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1));
    expect(rows).toEqual([["By team", "Conversations opened (count)"], ["Soporte", 1], ["Ventas", 2], ["Total", 3]]);
    expect(book.getWorksheet("Filters")!.getCell("B2").value).toBe("2026-02-23 00:00");
  });
});
