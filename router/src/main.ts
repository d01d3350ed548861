import { serve } from "@hono/node-server";
import { migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";
import { loadEnv } from "./env.js";
import { connectDatabase } from "./db/index.js";
import { createApp } from "./http/app.js";
import { systemClock } from "./clock.js";
import { loadOrCreateSecrets } from "./secrets.js";
import { DEMO_PHONE_NUMBER_ID, demoLogins, ensureDemoWorkspace } from "./demo.js";
import { startDispatcher } from "./channels/whatsapp/dispatcher.js";
import { startEmbeddedWhatsApp } from "./embedded-whatsapp.js";
import { startAutomation } from "./sla/scheduler.js";
import type { AddressInfo } from "node:net";

const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ at: new Date().toISOString(), service: "router", msg, ...fields }));

let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
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
if (secrets && env.CENTRALITA_DEMO !== "off") await ensureDemoWorkspace(database.db, secrets.demoPassword);

const secretKey = env.CENTRALITA_SECRET_KEY ?? secrets!.secretKey;
const dispatcher = startDispatcher({ db: database.db, clock: systemClock, secretKey, log });
const app = createApp({ db: database.db, clock: systemClock, whatsapp, secretKey, dispatcher, log });
const automation = startAutomation({ db: database.db, clock: systemClock, dispatcher, log });
const server = serve({ fetch: app.fetch, port: env.ROUTER_PORT, hostname: env.HOST });
await new Promise((resolve) => server.once("listening", resolve));
const routerUrl = `http://${env.HOST}:${(server.address() as AddressInfo).port}`;
log("router listening", { url: routerUrl, openapi: `${routerUrl}/v1/openapi.json` });
const simulator = secrets && env.CENTRALITA_DEMO !== "off"
  ? await startEmbeddedWhatsApp({
    db: database.db, routerUrl, appSecret: whatsapp.appSecret, accessToken: secrets.simulatorAccessToken, secretKey,
    phoneNumberId: DEMO_PHONE_NUMBER_ID, displayPhone: "+52 81 5555 0000", customersPerMinute: env.SIMULATOR_CUSTOMERS_PER_MINUTE,
  })
  : null;
if (secrets) {
  console.log(`\nCentralita router (embedded) on ${routerUrl}`);
  if (simulator) console.log(`WhatsApp simulator (Graph API) on ${simulator.graphBaseUrl}, ${env.SIMULATOR_CUSTOMERS_PER_MINUTE} customer messages/min`);
  console.log(`Demo logins (password ${secrets.demoPassword}):\n  ${demoLogins.join("\n  ")}\n`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("shutting down", { signal });
  await simulator?.stop();
  await automation.stop();
  await dispatcher.stop();
  server.close();
  await database.close();
  await stopEmbedded();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
