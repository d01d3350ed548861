import { connectClickHouse, migrateClickHouse, onShutdownSignal } from "@centralita/migrations";
import { createKafkaBus, jsonLog, loadEnv, startRouter, type Env } from "@centralita/router";
import {
  clickhouseTarget, createInProcessBus, createIngest, createIngestMetrics, loadIngestEnv, serveMetrics, startKafkaIngest, startStatsLog,
  type IngestEnv,
} from "@centralita/ingest";
import { loadWebEnv, type WebEnv } from "./env";
import { createWebServer } from "./index";
import { ensureWebBuild } from "./build";
import { startReportScheduler } from "./report-scheduler";
import { startCycleCompactor } from "@centralita/analytics";

/**
 * The whole product in one process (`npm start`): router, outbox relay, ingest, ClickHouse and the inbox. Without
 * KAFKA_BROKERS the relay hands batches straight to ingest; with it, they go through Kafka and this process
 * consumes them back, exactly as separate production processes would.
 */
const log = jsonLog("centralita");
let routerEnv: Env;
let ingestEnv: IngestEnv;
let webEnv: WebEnv;
try {
  routerEnv = loadEnv();
  ingestEnv = loadIngestEnv();
  webEnv = loadWebEnv();
  ensureWebBuild();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const clickhouse = await connectClickHouse(clickhouseTarget(ingestEnv));
await migrateClickHouse(clickhouse.client);
const metrics = createIngestMetrics();
const ingestFor = (source: string) => createIngest({ clickhouse: clickhouse.client, source, metrics, log });
const kafkaIngest = ingestEnv.KAFKA_BROKERS
  ? await startKafkaIngest({
    brokers: ingestEnv.KAFKA_BROKERS.split(","), groupId: ingestEnv.INGEST_GROUP_ID, metrics, log,
    makeIngest: (forwardDeadLetters) => createIngest({ clickhouse: clickhouse.client, source: "kafka", metrics, log, forwardDeadLetters }),
  })
  : null;
const bus = ingestEnv.KAFKA_BROKERS ? createKafkaBus({ brokers: ingestEnv.KAFKA_BROKERS.split(",") }) : createInProcessBus(ingestFor("embedded"));
const router = await startRouter(routerEnv, { bus, log });
process.env.NODE_ENV = "production";
const web = await createWebServer({ routerUrl: router.url, sessionSecret: webEnv.sessionSecret, port: webEnv.port, host: webEnv.host, log, clickhouse: clickhouse.client });
const reportsToken = routerEnv.REPORTS_SERVICE_TOKEN ?? router.secrets?.reportsServiceToken;
const reports = reportsToken ? startReportScheduler({ routerUrl: router.url, serviceToken: reportsToken, clickhouse: clickhouse.client, log }) : null;
// Dashboards read compacted cycles; without this they stay correct but re-aggregate every cycle per query.
const compactor = webEnv.compactEveryMs > 0 ? startCycleCompactor(clickhouse.client, { everyMs: webEnv.compactEveryMs, log: (msg) => log(msg) }) : null;
const metricsServer = await serveMetrics(metrics.registry, ingestEnv.HOST, ingestEnv.INGEST_METRICS_PORT);
const statsLog = startStatsLog(metrics, log);
const backlogTimer = setInterval(() => {
  router.relay?.backlog().then((n) => metrics.outboxBacklog.set(n), () => {});
}, 5000);

console.log(`\nCentralita inbox on ${web.url}  (API ${router.url}/v1, OpenAPI at ${router.url}/v1/openapi.json)`);
console.log(`Pipeline: outbox → ${bus.name} → ClickHouse (${clickhouse.embedded ? "embedded" : "server"}); metrics on ${metricsServer.url}/metrics`);
if (router.simulatorUrl) console.log(`WhatsApp simulator (Graph API) on ${router.simulatorUrl}`);
if (router.secrets) console.log(`Demo logins (password ${router.secrets.demoPassword}):\n  ${router.demoLogins.join("\n  ")}\n`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log("shutting down", { signal });
  clearInterval(backlogTimer);
  statsLog.stop();
  await reports?.stop();
  await web.stop();
  await router.stop();
  await kafkaIngest?.stop();
  await compactor?.stop();
  await metricsServer.close();
  await clickhouse.close();
  process.exit(0);
}
onShutdownSignal((signal) => void shutdown(signal));
