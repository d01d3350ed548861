import { serve } from "@hono/node-server";
import { migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";
import { loadEnv } from "./env.js";
import { connectDatabase } from "./db/index.js";
import { createApp } from "./http/app.js";
import { systemClock } from "./clock.js";
import { loadOrCreateSecrets } from "./secrets.js";
import { demoLogins, ensureDemoWorkspace } from "./demo.js";

const log = (msg: string, fields: Record<string, unknown> = {}) => console.log(JSON.stringify({ at: new Date().toISOString(), service: "router", msg, ...fields }));

const env = loadEnv();
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
const app = createApp({ db: database.db, clock: systemClock, whatsapp, secretKey, log });
const server = serve({ fetch: app.fetch, port: env.ROUTER_PORT, hostname: env.HOST }, (info) => {
  log("router listening", { url: `http://${env.HOST}:${info.port}`, openapi: `http://${env.HOST}:${info.port}/v1/openapi.json` });
  if (secrets) {
    console.log(`\nCentralita router (embedded) on http://${env.HOST}:${info.port}\nDemo logins (password ${secrets.demoPassword}):\n  ${demoLogins.join("\n  ")}\n`);
  }
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("shutting down", { signal });
  server.close();
  await database.close();
  await stopEmbedded();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
