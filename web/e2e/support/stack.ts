import { randomBytes } from "node:crypto";
import { afterAll } from "vitest";
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createApp, createLiveHub, signBody, startOutboxRelay, systemClock } from "@centralita/router";
import { startDispatcher } from "../../../router/src/channels/whatsapp/dispatcher";
import { createGraphApiSimulator } from "../../../router/src/channels/whatsapp/simulator/index";
import { seal } from "../../../router/src/channels/whatsapp/secret-box";
import { channels } from "../../../router/src/db/schema/index";
import { freshDatabase } from "../../../router/test/support/database";
import { seedCompany } from "../../../router/test/support/workspace";
import { inboundWebhook } from "../../../router/test/support/whatsapp";
import { eq } from "drizzle-orm";
import { createWebServer } from "../../server/index";
import { chmod } from "node:fs/promises";
import type { ClickHouse } from "@centralita/migrations";
import { tempClickHouse } from "../../../ingest/test/support/clickhouse";
import { createInProcessBus, createIngest, createIngestMetrics } from "@centralita/ingest";
import { startCycleCompactor } from "@centralita/analytics";

/** Real embedded ClickHouse (chdb) fed by the real ingest: what dashboards read. One per test file (process). */
async function startAnalytics(): Promise<ClickHouse> {
  const clickhouse = await tempClickHouse();
  await chmod(clickhouse.dataDir, 0o755);
  return clickhouse;
}

const APP_SECRET = "e2e-app-secret-0123456789";
const ACCESS_TOKEN = `EAAe2e${randomBytes(16).toString("hex")}`;
const SECRET_KEY = randomBytes(32).toString("hex");

/** Committed events reach the live hub through the real outbox relay; nothing else needs them here. */
const discardBus = { name: "e2e-discard", publish: async () => {}, close: async () => {} };

async function startGraphSimulator(db: Parameters<typeof startDispatcher>[0]["db"], routerUrl: string, phoneNumberId: string) {
  const graph = createGraphApiSimulator({
    accessToken: ACCESS_TOKEN, appSecret: APP_SECRET, webhookUrl: `${routerUrl}/webhooks/whatsapp`, phoneNumberIds: [phoneNumberId],
    statusDelaysMs: { sent: 50, delivered: 300, read: 900 },
  });
  const server = serve({ fetch: graph.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await db.update(channels).set({ graphApiBaseUrl: baseUrl, accessTokenSealed: seal(ACCESS_TOKEN, SECRET_KEY) }).where(eq(channels.phoneNumberId, phoneNumberId));
  return { graph, stop: async () => { await graph.close(); server.close(); } };
}

/**
 * The product as a browser meets it: a real router (HTTP API, outbox relay feeding the live hub, WhatsApp
 * sender) over a fresh Postgres database, Meta's Graph API simulated on a loopback port, and the built web app.
 */
export async function startStack(opts: { ventas?: NonNullable<Parameters<typeof seedCompany>[1]>["ventas"]; analytics?: boolean } = {}) {
  const database = await freshDatabase();
  const company = await seedCompany(database.db, { presence: "online", capacity: 6, ventas: opts.ventas });
  const live = createLiveHub();
  const log = (msg: string, fields?: Record<string, unknown>) => { if (process.env.E2E_LOG) console.log(msg, fields ?? ""); };
  const dispatcher = startDispatcher({ db: database.db, clock: systemClock, secretKey: SECRET_KEY, log }, 100);
  const app = createApp({ db: database.db, clock: systemClock, whatsapp: { appSecret: APP_SECRET, verifyToken: "e2e-verify" }, secretKey: SECRET_KEY, dispatcher, live, log });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const routerUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clickhouse = opts.analytics ? await startAnalytics() : null;
  const bus = clickhouse
    ? createInProcessBus(createIngest({ clickhouse: clickhouse.client, source: "e2e", metrics: createIngestMetrics(), log }))
    : discardBus;
  const relay = startOutboxRelay({ sql: database.sql, bus, live, log, pollMs: 50 });
  // As in the product, dashboards read compacted cycles plus the ones touched since: both paths get exercised.
  const compactor = clickhouse ? startCycleCompactor(clickhouse.client, { everyMs: 1000, safetyMs: 2000, log }) : null;
  const simulator = await startGraphSimulator(database.db, routerUrl, company.channel.phoneNumberId);
  const web = await createWebServer({ routerUrl, sessionSecret: randomBytes(32).toString("hex"), port: 0, clickhouse: clickhouse?.client });

  /** A customer writes on WhatsApp: Meta (the simulator) opens the 24-hour window and calls the webhook. */
  async function customerWrites(from: string, text: string, name = "Cliente") {
    simulator.graph.state.customerWrote(from);
    const body = JSON.stringify(inboundWebhook([{ from, text, name }], company.channel.phoneNumberId));
    const res = await fetch(`${routerUrl}/webhooks/whatsapp`, {
      method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body, APP_SECRET) }, body,
    });
    if (res.status !== 200) throw new Error(`webhook: ${res.status} ${await res.text()}`);
  }

  async function stop() {
    await web.stop();
    await simulator.stop();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await relay.stop();
    await dispatcher.stop();
    await compactor?.stop();
    await clickhouse?.close();
    await database.close();
  }
  afterAll(stop);
  /** Cuts every open HTTP connection to the web server, live streams included, as a network drop would. */
  const dropConnections = () => web.server.closeAllConnections();
  return { company, routerUrl, webUrl: web.url, sql: database.sql, db: database.db, clickhouse: clickhouse?.client ?? null, relay, customerWrites, dropConnections, stop };
}
