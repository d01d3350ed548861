import { describe, expect, it } from "vitest";
import { launchBrowser, row, screenshot, signIn } from "./support/browser";
import { startStack } from "./support/stack";

/**
 * Scenario 7 in the browser: Ana and Carlos open the same waiting chat and press "Tomar" at the same
 * instant. Exactly one wins; the other is told, in Spanish, who has it, and both screens agree.
 */
describe("scenario 7: two agents claim the same chat at once", async () => {
  // Manual: new chats wait in Ventas' queue; agents see the whole team, so the loser still sees the chat.
  const stack = await startStack({ ventas: { strategy: "manual", agentsSeeAll: true } });
  const { ana, carlos } = stack.company;
  const browserA = await launchBrowser();
  const browserB = await launchBrowser();
  const anaPage = await signIn(browserA, stack.webUrl, ana.email);
  const carlosPage = await signIn(browserB, stack.webUrl, carlos.email);

  it("lets exactly one win and tells the other who has it", async () => {
    await stack.customerWrites("5215512340001", "Hola, quiero cotización de una mesa", "Roberto Díaz");
    for (const page of [anaPage, carlosPage]) {
      await row(page, "Roberto Díaz").click({ timeout: 10_000 });
      await expect.poll(() => page.getByTestId("holder").textContent()).toContain("En la cola de Ventas");
    }
    await Promise.all([anaPage.getByTestId("claim").click(), carlosPage.getByTestId("claim").click()]);

    const holderName = async () => (await stack.sql<{ name: string }[]>`
      SELECT a.name FROM conversations c JOIN agents a ON a.id = c.assignee_id JOIN contacts k ON k.id = c.contact_id
      WHERE k.phone = '5215512340001'`)[0]?.name;
    await expect.poll(holderName, { timeout: 10_000 }).toBeTruthy();
    const holder = (await holderName())!;
    expect(["Ana", "Carlos"]).toContain(holder);
    const [winner, loser] = holder === "Ana" ? [anaPage, carlosPage] : [carlosPage, anaPage];
    await expect.poll(() => loser.getByTestId("action-error").textContent(), { timeout: 10_000 }).toBe(`Ya la atiende ${holder}`);
    for (const page of [winner, loser]) {
      await expect.poll(() => page.getByTestId("holder").textContent(), { timeout: 10_000 }).toBe(`Atendiendo: ${holder}`);
    }
    await expect.poll(() => winner.getByTestId("action-error").count()).toBe(0);
    // The loser may not write to the customer without taking the chat over.
    await expect.poll(() => loser.getByTestId("composer-blocked").textContent()).toContain(`${holder} atiende esta conversación`);
    await screenshot(loser, "scenario-07-loser-desktop");
    const [{ n }] = await stack.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM assignments a JOIN conversations c ON c.id = a.conversation_id
      JOIN contacts k ON k.id = c.contact_id WHERE k.phone = '5215512340001' AND a.agent_id IS NOT NULL`;
    expect(n).toBe(1);
  });
});
