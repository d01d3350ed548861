import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { artifactsDir, launchBrowser, phone, screenshot, signIn } from "./support/browser";
import { startStack } from "./support/stack";

const WAIT = { timeout: 10_000 };
const PAGES = ["", "agents", "teams", "rules", "templates", "channels", "workspace"] as const;

/** Opens an admin page and waits until it has settled (no navigation or form still loading). */
async function open(page: Page, webUrl: string, path: string) {
  const res = await page.goto(`${webUrl}/admin${path ? `/${path}` : ""}`);
  await page.waitForSelector('[data-testid="loading"]', { state: "detached", timeout: 10_000 });
  return res;
}

/**
 * Admin settings in the browser: people, a team's hours, a routing rule, a template, a WhatsApp number's
 * token (write-only), the workspace SLA; supervisors look without changing, agents are refused.
 */
describe("admin settings", async () => {
  const stack = await startStack();
  const { admin, ana, sofia, ventas } = stack.company;
  const browser = await launchBrowser();
  const adminPage = await signIn(browser, stack.webUrl, admin.email);

  it("refuses an agent who opens /admin, page and form alike", async () => {
    const anaPage = await signIn(browser, stack.webUrl, ana.email);
    const res = await open(anaPage, stack.webUrl, "");
    expect(res?.status()).toBe(403);
    expect(await anaPage.getByTestId("admin-denied").textContent()).toContain("solo para administradores");
    await screenshot(anaPage, "admin-denied-agent-desktop");
    // Even with her own valid CSRF token, a posted form is refused before it reaches the router.
    const post = await anaPage.evaluate(async () => {
      const csrf = (window as unknown as { __remixContext: { state: { loaderData: { root: { csrf: string } } } } }).__remixContext.state.loaderData.root.csrf;
      const body = new URLSearchParams({ csrf, intent: "create", name: "Intruso", email: "x@y.mx", role: "admin", capacity: "1", timeZone: "UTC", locale: "en" });
      return (await fetch("/admin/agents?_data=routes/admin.agents", { method: "POST", body })).status;
    });
    expect(post).toBe(403);
    // And an admin's form posted without the page's CSRF token is refused beside the form, changing nothing.
    const forged = await adminPage.evaluate(async () => {
      const body = new URLSearchParams({ csrf: "forged", intent: "create", name: "Falso", email: "f@y.mx", role: "agent", capacity: "1", timeZone: "UTC", locale: "en" });
      const res = await fetch("/admin/agents?_data=routes/admin.agents", { method: "POST", body });
      return { status: res.status, body: await res.json() };
    });
    expect(forged).toEqual({ status: 403, body: { ok: false, intent: "create", error: "La página expiró; recárgala e intenta de nuevo", fields: [] } });
    expect((await stack.sql`SELECT 1 FROM agents WHERE name = 'Falso'`).length).toBe(0);
    expect((await stack.sql`SELECT 1 FROM agents WHERE name = 'Intruso'`).length).toBe(0);
    await anaPage.context().close();
  });

  it("invites an agent into a team and lists her; a taken email is refused in Spanish", async () => {
    await open(adminPage, stack.webUrl, "agents");
    await adminPage.getByTestId("invite-agent").click();
    const form = adminPage.getByTestId("agent-form");
    await form.locator('input[name="name"]').fill("Julia Méndez");
    await form.locator('input[name="email"]').fill(ana.email);
    await form.locator('input[name="capacity"]').fill("3");
    await form.locator('input[name="skills"]').fill("garantías, inglés");
    await form.getByLabel("Ventas").check();
    await form.locator('input[name="password"]').fill("temporal-12345");
    await adminPage.getByTestId("agent-form-submit").click();
    await expect.poll(() => form.getByRole("alert").textContent(), WAIT).toBe("Ya hay una persona con ese correo");
    await form.locator('input[name="email"]').fill("julia.mendez@muebles.mx");
    await adminPage.getByTestId("agent-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("agent-form").count(), WAIT).toBe(0);
    const row = adminPage.getByTestId("agent-row").filter({ hasText: "Julia Méndez" });
    await expect.poll(() => row.textContent(), WAIT).toContain("julia.mendez@muebles.mx");
    expect(await row.textContent()).toContain("Ventas");
    expect(await row.textContent()).toContain("Hasta 3 chats");
    const [julia] = await stack.sql<{ capacity: number; skills: string[] }[]>`SELECT capacity, skills FROM agents WHERE email = 'julia.mendez@muebles.mx'`;
    expect(julia).toMatchObject({ capacity: 3, skills: ["garantías", "inglés"] });

    // Editing her capacity leaves everything else as it was, "active" included.
    await row.getByTestId("edit-agent").click();
    await adminPage.getByTestId("agent-form").locator('input[name="capacity"]').fill("4");
    await adminPage.getByTestId("agent-form-submit").click();
    await expect.poll(() => row.textContent(), WAIT).toContain("Hasta 4 chats");
    const [edited] = await stack.sql<{ active: boolean; role: string }[]>`SELECT active, role FROM agents WHERE email = 'julia.mendez@muebles.mx'`;
    expect(edited).toEqual({ active: true, role: "agent" });
  });

  it("edits a team's business hours, holidays and SLA target, and they are still there after a reload", async () => {
    await open(adminPage, stack.webUrl, "teams");
    await adminPage.getByTestId("team-card").filter({ hasText: "Ventas" }).click();
    await adminPage.waitForURL(new RegExp(`/admin/teams/${ventas.id}$`));
    await adminPage.getByTestId("always-open").uncheck();
    const monday = adminPage.getByTestId("hours-day-1");
    await monday.locator('input[name="hours.1.end"]').first().fill("14:00");
    await adminPage.getByTestId("hours-add-1").click();
    await monday.locator('input[name="hours.1.start"]').nth(1).fill("16:00");
    await monday.locator('input[name="hours.1.end"]').nth(1).fill("20:00");
    await adminPage.getByTestId("holiday-date").fill("2025-12-25");
    await adminPage.getByTestId("holiday-add").click();
    await adminPage.getByTestId("team-sla").fill("15");
    await adminPage.getByTestId("team-timezone").selectOption("America/Bogota");
    await adminPage.getByTestId("team-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("team-form").getByRole("status").textContent(), WAIT).toBe("Cambios guardados");

    await adminPage.reload();
    const times = () => adminPage.getByTestId("hours-day-1").locator('input[type="time"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    await expect.poll(times, WAIT).toEqual(["09:00", "14:00", "16:00", "20:00"]);
    expect(await adminPage.getByTestId("always-open").isChecked()).toBe(false);
    expect(await adminPage.getByTestId("holiday").locator("time").getAttribute("datetime")).toBe("2025-12-25");
    expect(await adminPage.getByTestId("team-sla").inputValue()).toBe("15");
    expect(await adminPage.getByTestId("team-timezone").inputValue()).toBe("America/Bogota");
    const [row] = await stack.sql<{ business_hours: Record<string, string[][]>; holidays: string[]; first_response_target_seconds: number; sticky: boolean; is_sales: boolean }[]>`
      SELECT business_hours, holidays, first_response_target_seconds, sticky, is_sales FROM teams WHERE id = ${ventas.id}`;
    // Settings the admin did not touch keep their values (ticked boxes post as ticked).
    expect(row).toMatchObject({ sticky: true, is_sales: true });
    expect(row!.business_hours["1"]).toEqual([["09:00", "14:00"], ["16:00", "20:00"]]);
    expect(row!.holidays).toEqual(["2025-12-25"]);
    expect(row!.first_response_target_seconds).toBe(900);
  });

  it("shows a bad range as a message naming the day, and saves nothing", async () => {
    const tuesday = adminPage.getByTestId("hours-day-2");
    await tuesday.locator('input[name="hours.2.start"]').first().fill("19:00");
    await tuesday.locator('input[name="hours.2.end"]').first().fill("10:00");
    await adminPage.getByTestId("team-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("team-form").getByRole("alert").textContent(), WAIT).toBe("Martes: cada horario debe empezar antes de terminar");
    const [row] = await stack.sql<{ business_hours: Record<string, string[][]> }[]>`SELECT business_hours FROM teams WHERE id = ${ventas.id}`;
    expect(row!.business_hours["2"]).toEqual([["09:00", "18:00"]]);
  });

  it("gives the team its own escalation ladder and turns its survey off", async () => {
    await adminPage.reload();
    await adminPage.getByTestId("custom-steps").check();
    const steps = adminPage.getByTestId("team-automation-form").getByTestId("escalation-steps");
    await steps.locator('input[name="stepAfterMinutes"]').first().fill("3");
    await steps.locator('select[name="stepAction"]').first().selectOption("supervisor");
    await adminPage.getByTestId("team-automation-form").locator('select[name="csat"]').selectOption("off");
    await adminPage.getByTestId("team-automation-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("team-automation-form").getByRole("status").textContent(), WAIT).toBe("Cambios guardados");
    const [row] = await stack.sql<{ csat_enabled: boolean | null; escalation_steps: unknown }[]>`SELECT csat_enabled, escalation_steps FROM team_automation WHERE team_id = ${ventas.id}`;
    expect(row).toEqual({ csat_enabled: false, escalation_steps: [{ afterSeconds: 180, action: "supervisor" }] });
  });

  it("adds a keyword routing rule to Soporte", async () => {
    await open(adminPage, stack.webUrl, "rules");
    expect(await adminPage.getByTestId("empty-state").count()).toBe(1);
    await adminPage.getByTestId("empty-state").getByTestId("add-rule").click();
    await adminPage.getByTestId("rule-pattern").fill("garantía");
    await adminPage.getByTestId("rule-team").selectOption({ label: "Soporte" });
    await adminPage.getByTestId("rule-form-submit").click();
    const rule = adminPage.getByTestId("rules-keyword").getByTestId("rule-row");
    await expect.poll(() => rule.textContent(), WAIT).toContain("“garantía” → Soporte");
    const rows = await stack.sql<{ kind: string; pattern: string }[]>`SELECT kind, pattern FROM routing_rules WHERE tenant_id = ${stack.company.tenantId}`;
    expect(rows).toEqual([{ kind: "keyword", pattern: "garantía" }]);
  });

  it("adds a template that agents can also use as a canned reply", async () => {
    await open(adminPage, stack.webUrl, "templates");
    await adminPage.getByTestId("empty-state").getByTestId("add-template").click();
    await adminPage.getByTestId("template-name").fill("saludo_ventas");
    await adminPage.getByTestId("template-body").fill("Hola {{1}}, gracias por escribir a Muebles del Norte.");
    await adminPage.getByTestId("template-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("template-row").textContent(), WAIT).toContain("/saludo_ventas");
    expect(await adminPage.getByTestId("template-row").textContent()).toContain("1 dato a completar");
  });

  it("rotates a number's access token without the page ever showing it", async () => {
    const secret = `EAArotated${randomBytes(12).toString("hex")}`;
    const [before] = await stack.sql<{ access_token_sealed: string }[]>`SELECT access_token_sealed FROM channels WHERE id = ${stack.company.channel.id}`;
    await open(adminPage, stack.webUrl, "channels");
    expect(await adminPage.getByTestId("token-status").textContent()).toBe("Token configurado");
    await adminPage.getByTestId("rotate-token").click();
    expect(await adminPage.getByTestId("channel-token").inputValue()).toBe("");
    expect(await adminPage.getByTestId("channel-token").getAttribute("type")).toBe("password");
    await adminPage.getByTestId("channel-token").fill(secret);
    await adminPage.getByTestId("rotate-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("rotate-form").count(), WAIT).toBe(0);
    const [after] = await stack.sql<{ access_token_sealed: string }[]>`SELECT access_token_sealed FROM channels WHERE id = ${stack.company.channel.id}`;
    expect(after!.access_token_sealed).not.toBe(before!.access_token_sealed);
    expect(after!.access_token_sealed).not.toContain(secret);
    expect(await adminPage.content()).not.toContain(secret);
    await adminPage.reload();
    expect(await adminPage.content()).not.toContain(secret);
    expect(await adminPage.getByTestId("token-status").textContent()).toBe("Token configurado");
    const data = await adminPage.evaluate(async () => (await fetch("/admin/channels?_data=routes/admin.channels")).text());
    expect(data).not.toContain(secret);
    expect(data).not.toContain("accessToken\"");
  });

  it("saves the workspace's first-response target", async () => {
    await open(adminPage, stack.webUrl, "workspace");
    await adminPage.getByTestId("workspace-sla").fill("7");
    await adminPage.getByTestId("workspace-form-submit").click();
    await expect.poll(() => adminPage.getByTestId("workspace-form").getByRole("status").textContent(), WAIT).toBe("Cambios guardados");
    await adminPage.reload();
    expect(await adminPage.getByTestId("workspace-sla").inputValue()).toBe("7");
  });

  it("lets a supervisor look without changing, and keeps workspace settings from him", async () => {
    const sofiaPage = await signIn(browser, stack.webUrl, sofia.email);
    await open(sofiaPage, stack.webUrl, "agents");
    expect(await sofiaPage.getByTestId("read-only").count()).toBe(1);
    expect(await sofiaPage.getByTestId("invite-agent").count()).toBe(0);
    await expect.poll(() => sofiaPage.getByTestId("agent-row").count(), WAIT).toBeGreaterThan(5);
    const res = await open(sofiaPage, stack.webUrl, "workspace");
    expect(res?.status()).toBe(403);
    await sofiaPage.context().close();
  });

  it("pictures every admin page on a laptop and on a phone", async () => {
    const phonePage = await signIn(browser, stack.webUrl, admin.email, phone);
    for (const [page, size] of [[adminPage, "desktop"], [phonePage, "phone"]] as const) {
      for (const path of PAGES) {
        await open(page, stack.webUrl, path);
        await screenshot(page, `admin-${path || "overview"}-${size}`);
      }
      await open(page, stack.webUrl, `teams/${ventas.id}`);
      await page.screenshot({ path: `${artifactsDir}/admin-team-${size}-full.png`, fullPage: true });
      await screenshot(page, `admin-team-${size}`);
      await open(page, stack.webUrl, "agents");
      await page.getByTestId("invite-agent").click();
      await screenshot(page, `admin-agent-dialog-${size}`);
    }
  });
});
