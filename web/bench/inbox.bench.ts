/**
 * Web inbox benchmark: the inbox page's time to first byte with 10k open conversations (next to the router
 * API calls the page makes, as the baseline), and live-update latency: a note added in one browser until it
 * is on screen in another (next to the router's own time for that command). Figures go to
 * bench-results/web.jsonl. Knobs: BENCH_OPEN (10000), BENCH_SAMPLES (200), BENCH_WARMUP (20),
 * BENCH_LIVE_ROUNDS (40), DATABASE_URL (else embedded Postgres). Needs the web build (`npm run build -w web`).
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { chromium, type Page } from "playwright-core";
import { serverBuildPath, webRoot } from "../server/index";
import { PASSWORD, startBenchStack, webLogin } from "./stack";

const envInt = (name: string, fallback: number) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const K = { open: envInt("BENCH_OPEN", 10_000), samples: envInt("BENCH_SAMPLES", 200), warmup: envInt("BENCH_WARMUP", 20), liveRounds: envInt("BENCH_LIVE_ROUNDS", 40) };
const RESULTS = path.resolve(webRoot, "../bench-results/web.jsonl");
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const ms = (v: number) => Math.round(v * 10) / 10;

async function routerLogin(routerUrl: string, email: string): Promise<string> {
  const res = await fetch(`${routerUrl}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password: PASSWORD }) });
  return ((await res.json()) as { token: string }).token;
}

/** Time until the first byte of the body; the rest is drained so the connection is reusable. */
async function timeToFirstByte(url: string, headers: Record<string, string>): Promise<number> {
  const start = performance.now();
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  await reader.read();
  const elapsed = performance.now() - start;
  while (!(await reader.read()).done) { /* drain */ }
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return elapsed;
}

async function sample(label: string, run: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < K.warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < K.samples; i++) samples.push(await run());
  log(`${label}: p50 ${ms(percentile(samples, 50))} ms, p95 ${ms(percentile(samples, 95))} ms`);
  return samples;
}

async function openSignedIn(browser: Awaited<ReturnType<typeof chromium.launch>>, webUrl: string, email: string, path: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
  await page.goto(`${webUrl}/login`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForURL(/\/inbox/), page.click('button[type="submit"]')]);
  await page.goto(`${webUrl}${path}`);
  await page.waitForSelector('[data-testid="live-status"][data-state="live"]', { timeout: 15_000 });
  return page;
}

/** A note typed in Ana's browser until it is on screen in Sofía's: both clocks are this machine's. */
async function liveLatency(webUrl: string, routerUrl: string, ana: { email: string; id: string }, supervisorEmail: string) {
  const token = await routerLogin(routerUrl, supervisorEmail);
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const list = (await (await fetch(`${routerUrl}/v1/conversations?view=all&limit=1`, { headers: auth })).json()) as { items: { id: string }[] };
  const id = list.items[0]!.id;
  await fetch(`${routerUrl}/v1/conversations/${id}/assign`, { method: "POST", headers: auth, body: JSON.stringify({ agentId: ana.id }) });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  try {
    const sender = await openSignedIn(browser, webUrl, ana.email, `/inbox/${id}`);
    const watcher = await openSignedIn(browser, webUrl, supervisorEmail, `/inbox/${id}`);
    await sender.getByTestId("mode-note").click();
    const latencies: number[] = [];
    for (let round = 0; round < K.liveRounds; round++) {
      const marker = `bench-${round}-${Math.random().toString(36).slice(2, 8)}`;
      const seen = watcher.evaluate((text) => new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          if (!document.body.textContent?.includes(text)) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }), marker);
      await sender.getByTestId("composer-text").fill(marker);
      const sentAt = await sender.evaluate(() => Date.now());
      await sender.getByTestId("composer-text").press("Enter");
      latencies.push((await seen) - sentAt);
      await sender.waitForFunction(() => (document.querySelector("[data-testid=composer-text]") as HTMLTextAreaElement | null)?.value === "");
    }
    const command: number[] = [];
    for (let round = 0; round < K.liveRounds; round++) {
      const start = performance.now();
      await fetch(`${routerUrl}/v1/conversations/${id}/notes`, { method: "POST", headers: auth, body: JSON.stringify({ text: `baseline ${round}` }) });
      command.push(performance.now() - start);
    }
    log(`live update: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms (router note command p50 ${ms(percentile(command, 50))} ms)`);
    return { latencies, command };
  } finally {
    await browser.close();
  }
}

type Figure = { figure: string; value: number; unit: string; baseline: string; baseline_value: number; ratio: number; goal: string | null; data: string; at: string };

async function main() {
  if (!existsSync(serverBuildPath)) {
    log("building the web app");
    if (spawnSync("npx", ["remix", "vite:build"], { cwd: webRoot, stdio: "inherit" }).status !== 0) throw new Error("build failed");
  }
  const stack = await startBenchStack(K.open, log);
  try {
    const data = `${K.open} open conversations, 200 agents; supervisor over every team; ${K.samples} sequential requests`;
    const cookie = await webLogin(stack.webUrl, stack.supervisor.email);
    const token = await routerLogin(stack.routerUrl, stack.supervisor.email);
    const ttfb = await sample("web /inbox TTFB (supervisor, view all)", () => timeToFirstByte(`${stack.webUrl}/inbox?view=all`, { cookie }));
    const agentCookie = await webLogin(stack.webUrl, stack.ana.email);
    const agentTtfb = await sample("web /inbox TTFB (agent, view all)", () => timeToFirstByte(`${stack.webUrl}/inbox?view=all`, { cookie: agentCookie }));
    const auth = { authorization: `Bearer ${token}` };
    const api = await sample("router API the page needs (list + counts, parallel)", async () => {
      const start = performance.now();
      await Promise.all([`/v1/conversations?view=all&limit=50`, `/v1/conversations/counts`].map((p) => fetch(`${stack.routerUrl}${p}`, { headers: auth }).then((r) => r.text())));
      return performance.now() - start;
    });
    const live = await liveLatency(stack.webUrl, stack.routerUrl, { email: stack.ana.email, id: stack.ana.id }, stack.supervisor.email);
    const at = new Date().toISOString();
    const figure = (name: string, value: number, baseline: string, baselineValue: number, goal: string | null, extra = data): Figure =>
      ({ figure: name, value: ms(value), unit: "ms", baseline, baseline_value: ms(baselineValue), ratio: ms(value / baselineValue), goal, data: extra, at });
    const apiBaseline = "router GET /v1/conversations + /counts (the inbox's two biggest calls), same run";
    const liveData = `${K.liveRounds} notes typed in Ana's browser until visible in Sofía's; ${K.open} open conversations`;
    const figures = [
      figure("web.inbox_ttfb_p50_ms", percentile(ttfb, 50), apiBaseline, percentile(api, 50), null),
      figure("web.inbox_ttfb_p95_ms", percentile(ttfb, 95), apiBaseline, percentile(api, 95), "<=300"),
      figure("web.inbox_ttfb_agent_p95_ms", percentile(agentTtfb, 95), `${apiBaseline} (as the supervisor)`, percentile(api, 95), "<=300",
        `${K.open} open conversations; an agent of Ventas with none of them (queue and own chats); ${K.samples} sequential requests`),
      figure("web.live_update_p50_ms", percentile(live.latencies, 50), "router POST /notes latency p50", percentile(live.command, 50), null, liveData),
      figure("web.live_update_p99_ms", percentile(live.latencies, 99), "router POST /notes latency p99", percentile(live.command, 99), "<=1000", liveData),
    ];
    console.table(figures.map(({ figure: f, value, baseline_value, ratio, goal }) => ({ figure: f, value, baseline_value, ratio, goal })));
    await mkdir(path.dirname(RESULTS), { recursive: true });
    await writeFile(RESULTS, figures.map((f) => JSON.stringify(f)).join("\n") + "\n");
    log(`figures written to ${RESULTS}`);
  } finally {
    await stack.stop();
  }
}

await main();
