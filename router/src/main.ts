import { loadEnv } from "./env.js";
import { jsonLog, startRouter } from "./start.js";

/**
 * The router as its own process (production, or the embedded Postgres without the pipeline). The one-process
 * embedded product, with ingest and ClickHouse, is started by `npm start` at the root.
 */
const log = jsonLog("router");
let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const router = await startRouter(env, { log });
if (router.secrets) {
  console.log(`\nCentralita router on ${router.url}`);
  if (router.simulatorUrl) console.log(`WhatsApp simulator (Graph API) on ${router.simulatorUrl}`);
  console.log(`Demo logins (password ${router.secrets.demoPassword}):\n  ${router.demoLogins.join("\n  ")}\n`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("shutting down", { signal });
  await router.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
