/**
 * Dashboards benchmark: each of the nine boards' data request through the web app (sign-in cookie, router look-ups,
 * every panel, the previous period), next to the same panels queried straight from the analytics package on the
 * same ClickHouse (the baseline: what the web adds on top of the queries). Data: the demo workspace with
 * BENCH_DEMO_DAYS (14) days of history played through the real router and pipeline into embedded ClickHouse.
 * Figures are appended to bench-results/web.jsonl. Knobs: BENCH_DEMO_DAYS, BENCH_DASHBOARD_SAMPLES (7).
 * Needs the web build (`npm run build -w web`).
 */
import { appendFile, chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { dashboards, runDashboard, runMetric, type MetricQuery } from "@centralita/analytics";
import { connectClickHouse, migrateClickHouse, migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";
import { createInProcessBus, createIngest, createIngestMetrics } from "@centralita/ingest";
import { connectDatabase, createApp, createLiveHub, ensureDemoWorkspace, generateDemoHistory, startOutboxRelay, systemClock } from "@centralita/router";
import { createWebServer, webRoot } from "../server/index";
import { resolveWindow } from "../app/lib/dashboard-filters";
import { webLogin } from "./stack";

const DAYS = Number(process.env.BENCH_DEMO_DAYS ?? 14);
const SAMPLES = Number(process.env.BENCH_DASHBOARD_SAMPLES ?? 7);
const PASSWORD = "bench-contraseña-123";
const ZONE = "America/Mexico_City";
const RESULTS = path.resolve(webRoot, "../bench-results/web.jsonl");
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)]!;
const round = (v: number) => Math.round(v * 10) / 10;

async function startStack(dir: string) {
  const pg = await startEmbeddedPostgres(path.join(dir, "pg"));
  await migratePostgres(pg.url);
  const handle = connectDatabase(pg.url, { max: 10 });
  await ensureDemoWorkspace(handle.db, PASSWORD);
  const clickhouse = await connectClickHouse({ dataDir: path.join(dir, "ch") });
  await migrateClickHouse(clickhouse.client);
  const ingest = createIngest({ clickhouse: clickhouse.client, source: "bench", metrics: createIngestMetrics() });
  const live = createLiveHub();
  const secretKey = randomBytes(32).toString("hex");
  const appSecret = "bench-app-secret-0123456789";
  const app = createApp({ db: handle.db, clock: systemClock, whatsapp: { appSecret, verifyToken: "bench" }, secretKey, live });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const routerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const relay = startOutboxRelay({ sql: handle.sql, bus: createInProcessBus(ingest), live, pollMs: 50 });
  const web = await createWebServer({ routerUrl, sessionSecret: randomBytes(32).toString("hex"), port: 0, clickhouse: clickhouse.client });
  const stop = async () => {
    await web.stop();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await relay.stop();
    await handle.close();
    await clickhouse.close();
    await pg.stop();
  };
  return { pg, handle, clickhouse, web, appSecret, secretKey, stop };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "centralita-dash-bench-"));
  await chmod(dir, 0o755);
  const stack = await startStack(dir);
  try {
    const [tenant] = await stack.handle.sql<{ id: string }[]>`SELECT id FROM tenants WHERE slug = 'demo'`;
    log(`playing ${DAYS} days of demo history through the router and the pipeline`);
    const summary = await generateDemoHistory({ databaseUrl: stack.pg.url, appSecret: stack.appSecret, secretKey: stack.secretKey }, { tenantId: tenant!.id, password: PASSWORD, days: DAYS });
    while ((await stack.handle.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox`)[0]!.n > 0) await new Promise((r) => setTimeout(r, 250));
    const data = `demo workspace, ${DAYS} days: ${summary.conversations} conversations, ${summary.events} events (embedded ClickHouse)`;
    log(`${data}; generated in ${Math.round(summary.elapsedMs / 1000)} s`);
    const cookie = await webLogin(stack.web.url, "sofia@demo.centralita.mx", PASSWORD);
    const now = new Date();
    const window = resolveWindow({ range: "7d" }, ZONE, now);
    const direct: MetricQuery = { tenantId: tenant!.id, from: window.from, to: window.to, timeZone: ZONE, bucket: window.bucket };
    const lines: string[] = [];
    const at = new Date().toISOString();
    const rows: Array<Record<string, unknown>> = [];
    for (const board of dashboards) {
      const url = `${stack.web.url}/dashboards/${board.id}?range=7d&_data=${encodeURIComponent("routes/dashboards.$id")}`;
      const viaWeb: number[] = [];
      const queriesOnly: number[] = [];
      for (let i = 0; i < SAMPLES + 1; i++) {
        const webMs = await timed(async () => {
          const res = await fetch(url, { headers: { cookie } });
          if (res.status !== 200) throw new Error(`${board.id}: ${res.status}`);
          await res.arrayBuffer();
        });
        const directMs = await timed(async () => {
          await runDashboard(stack.clickhouse.client, board.id, direct);
          if (board.refresh !== "live") {
            const previous = { ...direct, from: window.previousFrom, to: window.previousTo };
            for (const p of board.panels) if (p.chart === "stat" && p.status === "implemented") await runMetric(stack.clickhouse.client, p.metricId, previous);
          }
        });
        if (i > 0) { viaWeb.push(webMs); queriesOnly.push(directMs); }
      }
      const figure = {
        figure: `web.dashboard_p95_ms.${board.id}`, value: round(p95(viaWeb)), unit: "ms", baseline: "the same panels (and previous-period cards) queried directly through analytics, p95",
        baseline_value: round(p95(queriesOnly)), ratio: round(p95(viaWeb) / p95(queriesOnly)), goal: "<=1000", data: `${data}; last 7 days`, at,
      };
      lines.push(JSON.stringify(figure));
      rows.push({ board: board.id, web_p50: round(median(viaWeb)), web_p95: figure.value, queries_p95: figure.baseline_value, ratio: figure.ratio });
    }
    console.table(rows);
    await mkdir(path.dirname(RESULTS), { recursive: true });
    await appendFile(RESULTS, `${lines.join("\n")}\n`);
    log(`figures appended to ${RESULTS}`);
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
