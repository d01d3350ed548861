import { describe, expect, it } from "vitest";
import { launchBrowser, row, screenshot, signIn } from "./support/browser";
import { startStack } from "./support/stack";
import { PASSWORD } from "../../router/test/support/workspace";

const LIVE = { timeout: 10_000 };

async function routerToken(routerUrl: string, email: string): Promise<string> {
  const res = await fetch(`${routerUrl}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }) });
  return ((await res.json()) as { token: string }).token;
}

/**
 * The rest of the inbox in the browser: search, keyboard navigation, templates outside the 24-hour window's
 * rules, a supervisor taking a chat over (the agent sees it live), presence, and English.
 */
describe("inbox tools: search, keys, supervisor takeover, presence, language", async () => {
  const stack = await startStack({ ventas: { strategy: "manual", agentsSeeAll: true } });
  const { ana, sofia } = stack.company;
  const browser = await launchBrowser();
  const anaPage = await signIn(browser, stack.webUrl, ana.email);
  const sofiaPage = await signIn(await launchBrowser(), stack.webUrl, sofia.email);
  await stack.customerWrites("5215500000001", "Quiero cotizar 10 sillas para Guadalajara", "Elena Castro");
  await stack.customerWrites("5215500000002", "¿Tienen escritorios en existencia?", "Pablo Ruiz");

  it("searches by message text, name and number", async () => {
    await expect.poll(() => anaPage.getByTestId("conversation-row").count(), LIVE).toBe(2);
    const search = anaPage.locator("input[data-search]");
    await anaPage.keyboard.press("/");
    await expect.poll(() => anaPage.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("q");
    await search.fill("Guadalajara");
    await expect.poll(() => anaPage.getByTestId("conversation-row").allTextContents(), LIVE).toEqual([expect.stringContaining("Elena Castro")]);
    await search.fill("Pablo");
    await expect.poll(() => anaPage.getByTestId("conversation-row").allTextContents(), LIVE).toEqual([expect.stringContaining("Pablo Ruiz")]);
    await search.fill("5215500000001");
    await expect.poll(() => anaPage.getByTestId("conversation-row").allTextContents(), LIVE).toEqual([expect.stringContaining("Elena Castro")]);
    await search.fill("nadie escribió esto");
    await expect.poll(() => anaPage.getByTestId("list-empty").count(), LIVE).toBe(1);
    await search.fill("");
    await expect.poll(() => anaPage.getByTestId("conversation-row").count(), LIVE).toBe(2);
  });

  it("moves through the list with j and k", async () => {
    await anaPage.locator("body").click({ position: { x: 900, y: 400 } });
    const order = await anaPage.getByTestId("conversation-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-conversation-id")));
    const open = () => anaPage.getByTestId("conversation").getAttribute("data-conversation-id");
    await anaPage.keyboard.press("j");
    await expect.poll(open, LIVE).toBe(order[0]);
    await anaPage.keyboard.press("j");
    await expect.poll(open, LIVE).toBe(order[1]);
    await anaPage.keyboard.press("k");
    await expect.poll(open, LIVE).toBe(order[0]);
  });

  it("lets a supervisor take over a chat; the agent sees it leave her live", async () => {
    await row(anaPage, "Elena Castro").click();
    await anaPage.getByTestId("claim").click();
    await expect.poll(() => anaPage.getByTestId("holder").textContent(), LIVE).toBe("Atendiendo: Ana");
    await row(sofiaPage, "Elena Castro").click();
    await expect.poll(() => sofiaPage.getByTestId("holder").textContent(), LIVE).toBe("Atendiendo: Ana");
    await sofiaPage.getByTestId("takeover").click();
    await expect.poll(() => anaPage.getByTestId("holder").textContent(), LIVE).toBe("Atendiendo: Sofía");
    await expect.poll(() => anaPage.getByTestId("composer-blocked").textContent(), LIVE).toContain("Sofía atiende esta conversación");
  });

  it("shows an agent's presence change to her supervisor, live", async () => {
    const option = (name: string) => sofiaPage.getByRole("dialog").locator("option", { hasText: name });
    await sofiaPage.getByRole("button", { name: "Asignar", exact: true }).click();
    await expect.poll(() => option("Ana").textContent()).toContain("En línea");
    await anaPage.getByTestId("presence").selectOption("away");
    await expect.poll(() => option("Ana").textContent(), LIVE).toContain("Ausente");
    const anaInTeam = sofiaPage.getByTestId("team-member").filter({ hasText: "Ana" });
    await expect.poll(() => anaInTeam.getAttribute("data-presence"), LIVE).toBe("away");
    await sofiaPage.keyboard.press("Escape");
    await anaPage.getByTestId("presence").selectOption("online");
  });

  it("offers canned replies with / inside the window, and only templates once it has closed", async () => {
    const admin = await routerToken(stack.routerUrl, stack.company.admin.email);
    for (const body of [
      { name: "saludo_ventas", language: "es_MX", body: "¡Hola! Gracias por escribir a Muebles del Norte. ¿En qué te ayudo?" },
      { name: "seguimiento_cotizacion", language: "es_MX", body: "Hola {{1}}, ¿pudiste revisar la cotización que te enviamos?" },
    ]) {
      const res = await fetch(`${stack.routerUrl}/v1/templates`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ ...body, status: "approved" }) });
      expect(res.status).toBe(201);
    }
    await row(anaPage, "Pablo Ruiz").click();
    await anaPage.getByTestId("claim").click();
    await expect.poll(() => anaPage.getByTestId("holder").textContent(), LIVE).toBe("Atendiendo: Ana");
    await anaPage.getByTestId("composer-text").fill("/salu");
    await expect.poll(() => anaPage.getByTestId("template-list").textContent()).toContain("/saludo_ventas");
    await anaPage.getByTestId("composer-text").press("Enter");
    await expect.poll(() => anaPage.getByTestId("composer-text").inputValue()).toContain("Gracias por escribir a Muebles del Norte");
    await anaPage.getByTestId("composer-text").press("Enter");
    await expect.poll(() => anaPage.getByTestId("bubble-out").filter({ hasText: "Muebles del Norte" }).count(), LIVE).toBe(1);

    // A day later the customer has not written again: the 24-hour window is closed.
    await stack.sql`UPDATE conversations c SET last_inbound_at = now() - interval '25 hours' FROM contacts k
      WHERE k.id = c.contact_id AND k.phone = '5215500000002'`;
    await anaPage.reload();
    await expect.poll(() => anaPage.getByTestId("window").textContent(), LIVE).toBe("Ventana 24 h cerrada");
    await expect.poll(() => anaPage.getByTestId("composer-text").count()).toBe(0);
    const sender = anaPage.getByTestId("template-sender");
    await sender.locator("select").selectOption({ label: "seguimiento_cotizacion (es_MX)" });
    await sender.locator('input[name="parameters"]').fill("Pablo");
    await sender.getByRole("button", { name: "Enviar plantilla" }).click();
    await expect.poll(() => anaPage.getByTestId("bubble-out").filter({ hasText: "Hola Pablo, ¿pudiste revisar la cotización" }).count(), LIVE).toBe(1);
    await screenshot(anaPage, "inbox-desktop-window-closed");
  });

  it("resolves, reopens and hands a chat to another team with a context note", async () => {
    await anaPage.getByTestId("resolve").click();
    await anaPage.getByTestId("resolve-submit").click();
    await expect.poll(() => anaPage.getByTestId("status").textContent(), LIVE).toBe("Resuelta");
    await anaPage.getByTestId("reopen").click();
    await expect.poll(() => anaPage.getByTestId("status").textContent(), LIVE).toBe("Abierta");
    await anaPage.getByTestId("transfer").click();
    const soporte = anaPage.getByTestId("transfer-target").locator("option", { hasText: "Soporte" });
    await anaPage.getByTestId("transfer-target").selectOption((await soporte.getAttribute("value"))!);
    await anaPage.getByTestId("transfer-note").fill("Pregunta por garantía de escritorios");
    await anaPage.getByTestId("transfer-submit").click();
    // Soporte is not Ana's team: the chat leaves her screen, and the page says so instead of failing.
    await expect.poll(() => anaPage.getByRole("alert").textContent(), LIVE).toContain("ya no la puedes ver");
    await expect.poll(() => row(anaPage, "Pablo Ruiz").count(), LIVE).toBe(0);
    await expect.poll(() => row(sofiaPage, "Pablo Ruiz").count(), LIVE).toBe(1);
  });

  it("switches to English and back, and keeps the choice after signing in again", async () => {
    await row(anaPage, "Elena Castro").click();
    await anaPage.getByTestId("language").click();
    await expect.poll(() => anaPage.getByTestId("view-unassigned").textContent(), LIVE).toContain("Unassigned");
    await expect.poll(() => anaPage.getByTestId("holder").textContent()).toBe("Handled by: Sofía");
    await screenshot(anaPage, "inbox-desktop-english");
    await anaPage.getByTestId("logout").click();
    await anaPage.waitForURL(/\/login/);
    await expect.poll(() => anaPage.getByRole("button", { name: "Sign in" }).count(), LIVE).toBe(1);
    await anaPage.fill('input[name="email"]', ana.email);
    await anaPage.fill('input[name="password"]', PASSWORD);
    await Promise.all([anaPage.waitForURL(/\/inbox/), anaPage.getByRole("button", { name: "Sign in" }).click()]);
    await expect.poll(() => anaPage.getByTestId("view-mine").textContent(), LIVE).toContain("Mine");
    await anaPage.getByTestId("language").click();
    await expect.poll(() => anaPage.getByTestId("view-mine").textContent(), LIVE).toContain("Mías");
  });
});
