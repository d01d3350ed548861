import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "./support/browser";
import { startStack } from "./support/stack";
import { PASSWORD } from "../../router/test/support/workspace";

type Stack = Awaited<ReturnType<typeof startStack>>;

async function api(stack: Stack, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.routerUrl}/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<any>;
}

/** Two customers write; Ana wins one sale (12,000 MXN), Carlos resolves the other. */
async function workAMorning(stack: Stack) {
  const login = async (email: string) => (await (await fetch(`${stack.routerUrl}/v1/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }),
  })).json() as { token: string }).token;
  const ana = await login(stack.company.ana.email);
  const carlos = await login(stack.company.carlos.email);
  await stack.customerWrites("5215522220001", "Hola, quiero una cotización", "Elena");
  await stack.customerWrites("5215522220002", "Hola, tengo una duda", "Pablo");
  const listed = await api(stack, ana, "GET", "/conversations?view=all&limit=50") as { items: Array<{ id: string; contact: { name: string } }> };
  const id = (name: string) => listed.items.find((c) => c.contact.name === name)!.id;
  for (const [token, name] of [[ana, "Elena"], [carlos, "Pablo"]] as const) {
    await api(stack, token, "POST", `/conversations/${id(name)}/claim`);
    await api(stack, token, "POST", `/conversations/${id(name)}/messages`, { text: `¡Hola ${name}!` });
  }
  await api(stack, ana, "POST", `/conversations/${id("Elena")}/resolve`, { outcome: "won", dealValue: 12000, currency: "MXN" });
  await api(stack, carlos, "POST", `/conversations/${id("Pablo")}/resolve`, { outcome: "resolved" });
}

const cell = (page: Page, key: string, column: number) => page.locator(`[data-testid="report-row"][data-key="${key}"] td`).nth(column);

describe("reports page", async () => {
  const stack = await startStack({ analytics: true, ventas: { strategy: "manual", agentsSeeAll: true } });
  await workAMorning(stack);
  const browser = await launchBrowser();
  const sofia = await signIn(browser, stack.webUrl, stack.company.sofia.email);
  const { ana, carlos } = stack.company;

  it("builds metrics × agents for today, equal to the dashboard's numbers, and exports them", async () => {
    await sofia.goto(`${stack.webUrl}/reports?range=today`);
    await sofia.locator('[data-testid="builder-metric"][value="conversations_opened"]').check();
    await sofia.locator('[data-testid="builder-metric"][value="first_response_time_avg"]').check();
    await sofia.selectOption('[data-testid="builder-breakdown"]', "agent");
    // Columns follow the catalog's order: first response time (1), then conversations opened (2). The pipeline
    // lands events in ClickHouse within moments: ask again until both chats are counted.
    await expect.poll(async () => {
      await Promise.all([sofia.waitForURL(/metrics=/), sofia.click('[data-testid="builder-run"]')]);
      return cell(sofia, "total", 2).getAttribute("data-value");
    }, { timeout: 30_000, interval: 1000 }).toBe("2");
    expect(await cell(sofia, ana.id, 2).getAttribute("data-value")).toBe("1");
    expect(await cell(sofia, carlos.id, 2).getAttribute("data-value")).toBe("1");
    await screenshot(sofia, "reports-builder-desktop");

    const search = new URL(sofia.url()).search;
    const csv = await (await sofia.request.get(`${stack.webUrl}/reports/table.csv${search}`)).text();
    const lines = csv.trim().split("\r\n");
    expect(lines.find((l) => l.startsWith("Ana,"))).toMatch(/^Ana,\d+(\.\d+)?,1$/);
    const total = lines.at(-1)!.split(",");
    expect(total[0]).toBe("Total");
    const board = await (await sofia.request.get(`${stack.webUrl}/dashboards/response_times/export.csv?range=today`)).text();
    const frt = board.split("\r\n").find((l) => l.startsWith("first_response_time_avg,"))!.split(",");
    expect(Number(total[1])).toBeCloseTo(Number(frt[5]), 9);
    const xlsx = await sofia.request.get(`${stack.webUrl}/reports/table.xlsx${search}`);
    expect(xlsx.headers()["content-type"]).toContain("spreadsheetml");
  });

  it("exports one row per conversation with its facts", async () => {
    const csv = await (await sofia.request.get(`${stack.webUrl}/reports/conversations.csv?range=today`)).text();
    const elena = csv.split("\r\n").find((l) => l.includes(",won,"))!;
    expect(elena).toContain(",Ventas,Ana,Ana,");
    expect(elena).toContain(",won,12000,MXN,");
  });

  it("schedules the built report and lists it", async () => {
    await sofia.fill('[data-testid="schedule-name"]', "Resumen diario");
    await Promise.all([sofia.waitForSelector('[data-testid="schedule-notice"]'), sofia.click('[data-testid="schedule-create"]')]);
    await expect.poll(() => sofia.locator('[data-testid="schedule"]').filter({ hasText: "Resumen diario" }).count(), { timeout: 15_000 }).toBe(1);
    await Promise.all([sofia.waitForResponse((r) => r.request().method() === "POST"), sofia.click('[data-testid="schedule-toggle"]')]);
    await expect.poll(() => sofia.locator('[data-testid="schedule-state"]').first().textContent(), { timeout: 15_000 }).toBe("En pausa");
  });

  it("keeps agents out", async () => {
    const page = await signIn(browser, stack.webUrl, ana.email);
    const res = await page.goto(`${stack.webUrl}/reports`);
    expect(res!.status()).toBe(403);
    expect((await page.request.get(`${stack.webUrl}/reports/conversations.csv`)).status()).toBe(403);
    expect((await page.request.get(`${stack.webUrl}/dashboards/sales/export.xlsx`)).status()).toBe(403);
  });
});
