import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { launchBrowser, phone, row, screenshot, signIn } from "./support/browser";
import { startStack } from "./support/stack";

const CUSTOMER = "Jorge Ramírez";
const PHONE = "5218112345678";
const NOTE = "Lead de Monterrey, interesado en producto Y";
const LIVE = { timeout: 10_000 };

const bubble = (page: Page, kind: "bubble-in" | "bubble-out" | "note", text: string) => page.getByTestId(kind).filter({ hasText: text });
const holder = (page: Page) => page.getByTestId("holder").textContent();

async function send(page: Page, text: string, mode: "reply" | "note" = "reply") {
  await page.getByTestId(`mode-${mode}`).click();
  await page.getByTestId("composer-text").fill(text);
  await page.getByTestId("composer-text").press("Enter");
  await expect.poll(() => page.getByTestId("composer-text").inputValue(), LIVE).toBe("");
}

async function transfer(page: Page, agentName: string, note: string) {
  await page.getByTestId("transfer").click();
  const option = page.getByTestId("transfer-target").locator("option", { hasText: agentName });
  await page.getByTestId("transfer-target").selectOption((await option.getAttribute("value"))!);
  await page.getByTestId("transfer-note").fill(note);
  await page.getByTestId("transfer-submit").click();
  await expect.poll(() => page.getByRole("dialog").count(), LIVE).toBe(0);
}

/**
 * Scenario 6, "the 9:00 workflow", in two browsers: Ana (Ventas) and Carlos (Ventas and Soporte). Every
 * change one of them makes shows up in the other's open page without a reload; no step reloads a page.
 */
describe("scenario 6: the 9:00 workflow, Ana and Carlos live", async () => {
  // Manual: the chat waits in the shared inbox until someone claims it; agents of Ventas see the whole team.
  const stack = await startStack({ ventas: { strategy: "manual", agentsSeeAll: true } });
  const { ana, carlos } = stack.company;
  const anaPage = await signIn(await launchBrowser(), stack.webUrl, ana.email);
  const carlosBrowser = await launchBrowser();
  const carlosPage = await signIn(carlosBrowser, stack.webUrl, carlos.email);

  it("9:00 a new customer lands in the shared inbox of both, live", async () => {
    await stack.customerWrites(PHONE, "Hola, quiero cotización", CUSTOMER);
    for (const page of [anaPage, carlosPage]) {
      await expect.poll(() => row(page, CUSTOMER).count(), LIVE).toBe(1);
      await expect.poll(() => row(page, CUSTOMER).getByTestId("row-assignee").textContent()).toBe("Sin asignar");
    }
    await expect.poll(() => carlosPage.getByTestId("view-unassigned").textContent(), LIVE).toContain("1");
  });

  it("Ana claims and replies; Carlos sees who holds it and the reply; Ana sees the ticks turn blue", async () => {
    await row(anaPage, CUSTOMER).click();
    await row(carlosPage, CUSTOMER).click();
    await anaPage.getByTestId("claim").click();
    await expect.poll(() => holder(carlosPage), LIVE).toBe("Atendiendo: Ana");
    await expect.poll(() => row(carlosPage, CUSTOMER).getByTestId("row-assignee").textContent(), LIVE).toBe("Ana");
    await send(anaPage, "¡Hola Jorge! Con gusto te cotizo. ¿Qué producto te interesa?");
    await expect.poll(() => bubble(carlosPage, "bubble-out", "Con gusto te cotizo").count(), LIVE).toBe(1);
    await expect.poll(() => bubble(anaPage, "bubble-out", "Con gusto te cotizo").getByTestId("ticks").getAttribute("data-status"), LIVE).toBe("read");
  });

  it("9:05 shipping question, Ana's answer and her internal note, which never reaches WhatsApp", async () => {
    await stack.customerWrites(PHONE, "¿Hacen envíos a Monterrey?", CUSTOMER);
    for (const page of [anaPage, carlosPage]) await expect.poll(() => bubble(page, "bubble-in", "Monterrey").count(), LIVE).toBe(1);
    await send(anaPage, "Sí, enviamos a Monterrey en 3 días hábiles.");
    await send(anaPage, NOTE, "note");
    await expect.poll(() => bubble(carlosPage, "note", NOTE).count(), LIVE).toBe(1);
    await expect.poll(() => bubble(carlosPage, "bubble-out", "3 días hábiles").count(), LIVE).toBe(1);
    const leaked = await stack.sql`SELECT 1 FROM messages WHERE body LIKE '%Lead de Monterrey%'
      UNION ALL SELECT 1 FROM outbox WHERE envelope::text LIKE '%Lead de Monterrey%'`;
    expect(leaked).toHaveLength(0);
  });

  it("9:15 Ana transfers to Carlos with context; Carlos is notified and sees the note and the whole history", async () => {
    // Carlos goes back to his own queue, so the chat arrives as a new one for him.
    await carlosPage.goto(`${stack.webUrl}/inbox?view=mine`);
    await carlosPage.waitForSelector('[data-testid="live-status"][data-state="live"]', LIVE);
    await expect.poll(() => row(carlosPage, CUSTOMER).count(), LIVE).toBe(0);
    await stack.customerWrites(PHONE, "Por cierto, tuve un problema con un pedido anterior", CUSTOMER);
    await expect.poll(() => bubble(anaPage, "bubble-in", "pedido anterior").count(), LIVE).toBe(1);
    await transfer(anaPage, "Carlos", "Tiene un problema con un pedido anterior; ¿lo revisas?");
    await expect.poll(() => holder(anaPage), LIVE).toBe("Atendiendo: Carlos");
    await expect.poll(() => row(carlosPage, CUSTOMER).count(), LIVE).toBe(1);
    await expect.poll(() => carlosPage.title(), LIVE).toBe("(1) Centralita");
    await screenshot(carlosPage, "scenario-06-carlos-notified-desktop");
    await row(carlosPage, CUSTOMER).click();
    await expect.poll(() => carlosPage.title()).toBe("Centralita");
    await expect.poll(() => bubble(carlosPage, "note", NOTE).count()).toBe(1);
    await expect.poll(() => bubble(carlosPage, "note", "pedido anterior; ¿lo revisas?").count()).toBe(1);
    await expect.poll(() => carlosPage.getByTestId("bubble-in").count()).toBe(3);
    await expect.poll(() => carlosPage.getByTestId("bubble-out").count()).toBe(2);
  });

  it("Carlos replies and, at 9:30, transfers back; Ana follows both live", async () => {
    await send(carlosPage, "Hola Jorge, soy Carlos de Soporte: ya enviamos el reemplazo de tu pedido.");
    await expect.poll(() => bubble(anaPage, "bubble-out", "reemplazo de tu pedido").count(), LIVE).toBe(1);
    await transfer(carlosPage, "Ana", "Pedido resuelto; te la regreso para cerrar la venta.");
    await expect.poll(() => holder(anaPage), LIVE).toBe("Atendiendo: Ana");
    await expect.poll(() => bubble(anaPage, "note", "cerrar la venta").count(), LIVE).toBe(1);
  });

  it("a dropped connection reconnects and catches up on what happened meanwhile", async () => {
    const carlosContext = carlosPage.context();
    await carlosContext.setOffline(true);
    stack.dropConnections();
    await expect.poll(() => carlosPage.getByTestId("live-status").getAttribute("data-state"), LIVE).toBe("reconnecting");
    await stack.customerWrites(PHONE, "Perfecto, entonces quiero 3 piezas del producto Y", CUSTOMER);
    await expect.poll(() => bubble(anaPage, "bubble-in", "3 piezas").count(), LIVE).toBe(1);
    await carlosContext.setOffline(false);
    await expect.poll(() => bubble(carlosPage, "bubble-in", "3 piezas").count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => carlosPage.getByTestId("live-status").getAttribute("data-state"), LIVE).toBe("live");
  });

  it("renders the inbox at phone width (screenshots)", async () => {
    await stack.customerWrites("5215587654321", "Buenas tardes, ¿tienen sillas de oficina?", "Mariana López");
    await stack.customerWrites("5213398765432", "Necesito ayuda con mi factura", "Ricardo Torres");
    await send(anaPage, "¡Listo! Te comparto la liga de pago por $15,000 MXN.");
    const phonePage = await signIn(carlosBrowser, stack.webUrl, ana.email, phone);
    await phonePage.getByTestId("view-all").click();
    await expect.poll(() => row(phonePage, "Mariana López").count(), LIVE).toBe(1);
    await screenshot(phonePage, "inbox-phone-list");
    await row(phonePage, CUSTOMER).click();
    await expect.poll(() => phonePage.getByTestId("timeline").isVisible()).toBe(true);
    await expect.poll(() => row(phonePage, CUSTOMER).isVisible()).toBe(false);
    await screenshot(phonePage, "inbox-phone-conversation");
    await phonePage.context().close();
  });

  it("Ana closes the sale (won, with value); Carlos sees it resolved", async () => {
    await screenshot(anaPage, "inbox-desktop");
    await anaPage.getByTestId("resolve").click();
    await anaPage.getByTestId("outcome-won").check({ force: true });
    await anaPage.getByTestId("deal-value").fill("15000");
    await screenshot(anaPage, "inbox-desktop-resolve-dialog");
    await anaPage.getByTestId("resolve-submit").click();
    await expect.poll(() => carlosPage.getByTestId("status").textContent(), LIVE).toBe("Resuelta");
    await expect.poll(() => anaPage.getByTestId("reopen").count(), LIVE).toBe(1);
    const [conversation] = await stack.sql<{ outcome: string; deal_value: string; currency: string }[]>`
      SELECT c.outcome, c.deal_value, c.currency FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${PHONE}`;
    expect(conversation).toEqual({ outcome: "won", deal_value: "15000.00", currency: "MXN" });
    const transfers = await stack.sql`SELECT 1 FROM transfers t JOIN conversations c ON c.id = t.conversation_id JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${PHONE}`;
    expect(transfers).toHaveLength(2);
    await anaPage.getByTestId("view-all").click();
    await expect.poll(() => row(anaPage, "Ricardo Torres").count(), LIVE).toBe(1);
    await screenshot(anaPage, "inbox-desktop-list");
  });
});
