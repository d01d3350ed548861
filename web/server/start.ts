import { connectClickHouse } from "@centralita/migrations";
import { loadWebEnv } from "./env";
import { createWebServer } from "./index";
import { ensureWebBuild } from "./build";
import { startReportScheduler } from "./report-scheduler";
import { startCycleCompactor } from "@centralita/analytics";

/** `npm start -w web`: builds once if there is no build, then serves it next to a running router. */
let env: ReturnType<typeof loadWebEnv>;
try {
  env = loadWebEnv();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
try {
  ensureWebBuild();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
process.env.NODE_ENV = "production";
const clickhouse = env.clickhouseUrl ? await connectClickHouse({ url: env.clickhouseUrl }) : null;
if (!clickhouse) console.warn("CLICKHOUSE_URL is not set: dashboards and exports are off");
const web = await createWebServer({ routerUrl: env.routerUrl, sessionSecret: env.sessionSecret, port: env.port, host: env.host, clickhouse: clickhouse?.client, clickhouseConcurrency: 4 });
const reports = clickhouse && env.reportsServiceToken
  ? startReportScheduler({ routerUrl: env.routerUrl, serviceToken: env.reportsServiceToken, clickhouse: clickhouse.client, log: (msg, fields) => console.log(msg, fields ?? "") })
  : null;
// Dashboards read compacted cycles (see analytics/README.md); with several web instances one compactor is enough.
const compactor = clickhouse && env.compactEveryMs > 0
  ? startCycleCompactor(clickhouse.client, { everyMs: env.compactEveryMs, log: (msg) => console.log(msg) })
  : null;
if (!reports) console.warn("Scheduled reports are off here: they need CLICKHOUSE_URL and REPORTS_SERVICE_TOKEN");
console.log(`\nCentralita inbox on ${web.url} (router ${env.routerUrl})\n`);
const stop = async () => {
  await reports?.stop();
  await compactor?.stop();
  await web.stop();
  await clickhouse?.close();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
