import path from "node:path";
import { connectClickHouse, migrateClickHouse, migratePostgres, startEmbeddedPostgres } from "./index.js";

/**
 * `npm run migrate`: applies Postgres migrations to DATABASE_URL (or the embedded server's data dir) and
 * ClickHouse migrations to CLICKHOUSE_URL (or the embedded ClickHouse in the same data dir).
 */
const dataDir = path.resolve(process.env.CENTRALITA_DATA_DIR ?? path.join(import.meta.dirname, "../../.data"));
const url = process.env.DATABASE_URL;
if (url) {
  await migratePostgres(url);
  console.log("postgres: migrations applied");
} else {
  const embedded = await startEmbeddedPostgres(dataDir);
  try {
    await migratePostgres(embedded.url);
    console.log(`postgres (embedded at ${dataDir}): migrations applied`);
  } finally {
    await embedded.stop();
  }
}
const clickhouse = await connectClickHouse(process.env.CLICKHOUSE_URL ? { url: process.env.CLICKHOUSE_URL } : { dataDir: path.join(dataDir, "clickhouse") });
try {
  const applied = await migrateClickHouse(clickhouse.client);
  console.log(`clickhouse${clickhouse.embedded ? " (embedded)" : ""}: ${applied.length} migration(s) applied`);
} finally {
  await clickhouse.close();
}
