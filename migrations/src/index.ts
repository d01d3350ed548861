import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";

export { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded-postgres.js";

export const postgresMigrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../postgres");

/**
 * Applies every pending drizzle-kit migration. Safe with several processes starting at once: an advisory
 * lock makes a second runner wait, then find nothing left to apply.
 */
export async function migratePostgres(databaseUrl: string): Promise<void> {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`SELECT pg_advisory_lock(727001)`;
    await migrate(drizzle(sql), { migrationsFolder: postgresMigrationsFolder });
    await sql`SELECT pg_advisory_unlock(727001)`;
  } finally {
    await sql.end();
  }
}
export { connectClickHouse, migrateClickHouse, onShutdownSignal, clickhouseMigrationsFolder, type ClickHouse, type ClickHouseTarget } from "./clickhouse.js";
