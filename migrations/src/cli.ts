import path from "node:path";
import { migratePostgres, startEmbeddedPostgres } from "./index.js";

/** `npm run migrate`: applies Postgres migrations to DATABASE_URL, or to the embedded server's data dir. */
const url = process.env.DATABASE_URL;
if (url) {
  await migratePostgres(url);
  console.log("postgres: migrations applied");
} else {
  const dataDir = path.resolve(process.env.CENTRALITA_DATA_DIR ?? path.join(import.meta.dirname, "../../.data"));
  const embedded = await startEmbeddedPostgres(dataDir);
  try {
    await migratePostgres(embedded.url);
    console.log(`postgres (embedded at ${dataDir}): migrations applied`);
  } finally {
    await embedded.stop();
  }
}
