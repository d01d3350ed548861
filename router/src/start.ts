import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";
import type { Env } from "./env.js";
import { connectDatabase, type DbHandle } from "./db/index.js";
import { createApp } from "./http/app.js";
import { systemClock } from "./clock.js";
import { loadOrCreateSecrets, type EmbeddedSecrets } from "./secrets.js";
import { DEMO_PHONE_NUMBER_ID, demoLogins, ensureDemoWorkspace } from "./demo.js";
import { startDispatcher } from "./channels/whatsapp/dispatcher.js";
import { startEmbeddedWhatsApp } from "./embedded-whatsapp.js";
import { startAutomation } from "./sla/scheduler.js";
import { createLiveHub } from "./live/hub.js";
import { startKafkaLiveTap } from "./live/kafka-tap.js";
import { startOutboxRelay, type OutboxRelay } from "./outbox/relay.js";
import { createKafkaBus } from "./outbox/kafka-bus.js";
import type { EventBus } from "./outbox/bus.js";
import { demoHistoryPending, runDemoHistory } from "./demo-history/background.js";
import { InboundBatcher } from "./domain/inbound-batcher.js";

export type Log = (msg: string, fields?: Record<string, unknown>) => void;
export const jsonLog = (service: string): Log => (msg, fields = {}) =>
  console.log(JSON.stringify({ at: new Date().toISOString(), service, msg, ...fields }));

export type RunningRouter = {
  url: string;
  database: DbHandle;
  relay: OutboxRelay | null;
  secrets: EmbeddedSecrets | null;
  demoLogins: string[];
  simulatorUrl: string | null;
  stop: () => Promise<void>;
};

/**
 * Brings the router up: Postgres (embedded when no DATABASE_URL), migrations, HTTP API, WhatsApp sender,
 * automation, and the outbox relay onto `bus` (Kafka when KAFKA_BROKERS is set; the embedded launcher passes
 * its in-process bus to ingest). Without a bus the outbox keeps the events until one is configured.
 */
export async function startRouter(env: Env, options: { bus?: EventBus | null; log?: Log } = {}): Promise<RunningRouter> {
  const log = options.log ?? jsonLog("router");
  let databaseUrl = env.DATABASE_URL;
  let stopEmbedded = async () => {};
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres(env.CENTRALITA_DATA_DIR);
    databaseUrl = embedded.url;
    stopEmbedded = embedded.stop;
    log("embedded postgres started", { dataDir: env.CENTRALITA_DATA_DIR, port: embedded.port });
  }
  await migratePostgres(databaseUrl);
  const database = connectDatabase(databaseUrl, { max: env.DATABASE_POOL_SIZE });
  const secrets = env.embedded ? await loadOrCreateSecrets(env.CENTRALITA_DATA_DIR) : null;
  const whatsapp = {
    appSecret: env.WHATSAPP_APP_SECRET ?? secrets!.whatsappAppSecret,
    verifyToken: env.WHATSAPP_VERIFY_TOKEN ?? secrets!.whatsappVerifyToken,
  };
  const demo = secrets !== null && env.CENTRALITA_DEMO !== "off";
  if (demo) await ensureDemoWorkspace(database.db, secrets.demoPassword);

  const secretKey = env.CENTRALITA_SECRET_KEY ?? secrets!.secretKey;
  const live = createLiveHub();
  const bus = options.bus ?? (env.KAFKA_BROKERS ? createKafkaBus({ brokers: env.KAFKA_BROKERS.split(",") }) : null);
  // With Kafka every instance hears every instance's events from the topic; in-process, the relay is the source.
  const liveTap = env.KAFKA_BROKERS ? await startKafkaLiveTap({ brokers: env.KAFKA_BROKERS.split(","), hub: live, log }) : null;
  const relay = bus && env.RELAY_WORKERS > 0
    ? startOutboxRelay({ sql: database.sql, bus, live: liveTap ? undefined : live, log, workers: env.RELAY_WORKERS, depth: env.RELAY_DEPTH, batchSize: env.RELAY_BATCH_SIZE })
    : null;
  if (!bus) log("no event bus configured: events stay in the outbox until KAFKA_BROKERS is set");
  const reportsServiceToken = env.REPORTS_SERVICE_TOKEN ?? secrets?.reportsServiceToken;
  // While the demo's history is generated (on a simulated clock, through a second app), the sender, the
  // automation jobs and the simulated customers wait: none of them may act on the past or fill the agents'
  // seats with live chats before the history has played. The API and the relay serve from the start.
  const historyDays = demo ? env.CENTRALITA_DEMO_HISTORY_DAYS : 0;
  const deferLive = demo && (await demoHistoryPending(env.CENTRALITA_DATA_DIR, historyDays));
  let dispatcher: ReturnType<typeof startDispatcher> | null = null;
  let automation: ReturnType<typeof startAutomation> | null = null;
  const nudge = { nudge: () => dispatcher?.nudge() };
  const inbound = new InboundBatcher({ db: database.db, clock: systemClock, log }, { maxBatch: env.INBOUND_BATCH_MAX, maxInFlight: env.INBOUND_BATCH_IN_FLIGHT });
  const app = createApp({ db: database.db, clock: systemClock, whatsapp, secretKey, dispatcher: nudge, live, log, reportsServiceToken, inbound });
  const server = serve({ fetch: app.fetch, port: env.ROUTER_PORT, hostname: env.HOST });
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://${env.HOST}:${(server.address() as AddressInfo).port}`;
  log("router listening", { url, openapi: `${url}/v1/openapi.json`, bus: bus?.name ?? null });
  let simulator: Awaited<ReturnType<typeof startEmbeddedWhatsApp>> | null = null;
  async function startLive() {
    dispatcher = startDispatcher({ db: database.db, clock: systemClock, secretKey, log });
    automation = startAutomation({ db: database.db, clock: systemClock, dispatcher, log });
    simulator = demo
      ? await startEmbeddedWhatsApp({
        db: database.db, routerUrl: url, appSecret: whatsapp.appSecret, accessToken: secrets.simulatorAccessToken, secretKey,
        phoneNumberId: DEMO_PHONE_NUMBER_ID, displayPhone: "+52 81 5555 0000", customersPerMinute: env.SIMULATOR_CUSTOMERS_PER_MINUTE,
      })
      : null;
    if (simulator && deferLive) log("clientes simulados escribiendo en vivo", { simulator: simulator.graphBaseUrl, perMinute: env.SIMULATOR_CUSTOMERS_PER_MINUTE });
  }
  let stopping = false;
  const history = deferLive
    ? runDemoHistory({
      dataDir: env.CENTRALITA_DATA_DIR, db: database.db, databaseUrl, appSecret: whatsapp.appSecret, secretKey, password: secrets!.demoPassword,
      days: historyDays, log,
    }, () => stopping)
      .catch((error) => log("demo history failed; it resumes at the next start", { error: String(error) }))
      .then(() => (stopping ? undefined : startLive()))
    : startLive();
  if (!deferLive) await history;

  async function stop() {
    stopping = true;
    await history;
    await simulator?.stop();
    await automation?.stop();
    await dispatcher?.stop();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    await relay?.stop();
    await liveTap?.stop();
    await bus?.close();
    await database.close();
    await stopEmbedded();
  }
  return {
    url, database, relay, secrets, demoLogins: demo ? demoLogins : [], stop,
    // Known once the live part runs (after the demo history, on a first start).
    get simulatorUrl() { return simulator?.graphBaseUrl ?? null; },
  };
}
