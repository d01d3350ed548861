import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { PASSWORD } from "../../../router/test/support/workspace";

export const artifactsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../artifacts");
export const desktop = { width: 1366, height: 800 };
export const phone = { width: 390, height: 844 };

/** Debian's Chromium, headless; playwright gives each launch a fresh profile. It never downloads a browser here. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  afterAll(() => browser.close());
  return browser;
}

/** A signed-in agent in a browser window of his own (separate cookies). */
export async function signIn(browser: Browser, webUrl: string, email: string, viewport = desktop): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: "es-MX", timezoneId: "America/Mexico_City", isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  await page.goto(`${webUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(/\/inbox/), page.click('button[type="submit"]')]);
  await page.waitForSelector('[data-testid="live-status"][data-state="live"]', { timeout: 10_000 });
  return page;
}

/** Once nothing is loading, so the picture shows the page as it settles. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(artifactsDir, { recursive: true });
  await page.waitForSelector('[data-testid="loading"]', { state: "detached", timeout: 10_000 });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
}

/** The conversation row of a customer (by the name he gave WhatsApp) in the page's inbox list. */
export const row = (page: Page, customer: string) => page.getByTestId("conversation-row").filter({ hasText: customer });
