import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient, type ClickHouseClient } from "@clickhouse/client";

export const clickhouseMigrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../clickhouse");

export type ClickHouseTarget = { url: string } | { dataDir: string };
export type ClickHouse = { client: ClickHouseClient; embedded: boolean; close: () => Promise<void> };

/**
 * One code path for both modes: a ClickHouse server over HTTP, or real ClickHouse in-process (chdb) plugged
 * into the same client. chdb is loaded only in the embedded mode; it allows one data directory per process.
 */
export async function connectClickHouse(target: ClickHouseTarget): Promise<ClickHouse> {
  if ("url" in target) {
    // Large parameters (a dashboard's hot cycles and their rows) go in a multipart body, not the URL, which ClickHouse
    // (`http_max_uri_size`) and proxies in front of it limit; each stays under the form field's limit
    // (`http_max_field_value_size`, 128 KiB by default: `MAX_PARAM_BYTES` in analytics).
    const client = createClient({ url: target.url, request_timeout: 60_000, use_multipart_params_auto: true, clickhouse_settings: { date_time_input_format: "best_effort" } });
    return { client, embedded: false, close: () => client.close() };
  }
  const engine = await startEmbeddedEngine(target.dataDir);
  try {
    const { createChdbConnection } = await import("chdb/connection");
    const connection = oneAtATime(createChdbConnection({ path: target.dataDir }));
    // chdb's types come from another copy of the client's common package; the runtime contract is the same.
    const client = createClient({ connection: connection as unknown as never, clickhouse_settings: { date_time_input_format: "best_effort" } });
    return { client, embedded: true, close: async () => { await client.close(); engine.close(); } };
  } catch (error) {
    // The engine's session holds the process's one data directory: released, a later connect may open another.
    engine.close();
    throw error;
  }
}

/**
 * The embedded engine's server configuration (a ClickHouse server's config.xml; production sets the same there):
 * caches of decompressed column blocks and skip-index granules, which a server leaves off by default (size 0). A
 * dashboard's statements read the same blocks poll after poll, and the metric statements ask for the cache
 * (`use_uncompressed_cache`, analytics' `STATEMENT_SETTINGS`): at 9.7M events over 30 days, alternating in one process,
 * the agent board took 102 against 126 ms p50, the response board 95 against 112, with ~270 MB cached for all nine
 * boards. Reads of more than ~1M rows (the compactor's) bypass it. Memory is taken as blocks are read, up to the size.
 */
const EMBEDDED_ENGINE_ARGS = ["--uncompressed_cache_size=1073741824", "--index_uncompressed_cache_size=268435456"];

/**
 * The engine started with its configuration by a session of its own: chdb's client connection takes no engine arguments,
 * and every connection to one data directory shares the engine the first one started. Kept open while the client's is.
 */
async function startEmbeddedEngine(dataDir: string): Promise<{ close: () => void }> {
  const { Session } = await import("chdb");
  return new Session(dataDir, { connectionArgs: EMBEDDED_ENGINE_ARGS });
}

/**
 * Embedded ClickHouse runs one statement at a time: chdb was seen hanging with several in flight (ingest inserting
 * while dashboards read). Results are buffered by chdb, so the lane is held only while a statement runs.
 */
function oneAtATime<T extends object>(connection: T): T {
  let lane: Promise<unknown> = Promise.resolve();
  const target = connection as Record<string, unknown>;
  for (const method of ["query", "exec", "command", "insert", "ping"]) {
    const original = target[method];
    if (typeof original !== "function") continue;
    const call = (original as (...args: unknown[]) => Promise<unknown>).bind(connection);
    target[method] = (...args: unknown[]) => {
      const run = lane.then(() => call(...args));
      lane = run.catch(() => undefined);
      return run;
    };
  }
  return connection;
}

/** Statements of one migration file: split on semicolons that end a line, comments dropped. */
function statementsOf(text: string): string[] {
  const withoutComments = text.split("\n").filter((line) => !line.trim().startsWith("--")).join("\n");
  return withoutComments.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
}

/**
 * Applies pending `clickhouse/*.sql` files in name order and records them. Statements are idempotent
 * (IF NOT EXISTS), so two instances starting at once at worst both run one, harmlessly. `until`: the last version
 * to apply (a test of a migration sets up the database as it was before it).
 */
export async function migrateClickHouse(client: ClickHouseClient, options: { until?: string } = {}): Promise<string[]> {
  await client.command({
    query: "CREATE TABLE IF NOT EXISTS schema_migrations (version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version",
  });
  const done = await client.query({ query: "SELECT version FROM schema_migrations FINAL", format: "JSONEachRow" });
  const applied = new Set((await done.json<{ version: string }>()).map((r) => r.version));
  const files = (await readdir(clickhouseMigrationsFolder)).filter((f) => f.endsWith(".sql")).sort();
  const newlyApplied: string[] = [];
  for (const file of files) {
    const version = file.replace(/\.sql$/, "");
    if (applied.has(version) || (options.until !== undefined && version > options.until)) continue;
    for (const statement of statementsOf(await readFile(path.join(clickhouseMigrationsFolder, file), "utf8"))) {
      await client.command({ query: statement });
    }
    await client.insert({ table: "schema_migrations", values: [{ version }], format: "JSONEachRow" });
    newlyApplied.push(version);
  }
  return newlyApplied;
}

/**
 * Routes SIGTERM/SIGINT to `handler`. Call it after ClickHouse is connected: embedded ClickHouse installs its
 * own handlers, which end the process at once (exit 143) before a graceful shutdown could flush. Dropping
 * every listener lets Node release its registration; adding ours installs it again, over the engine's.
 */
export function onShutdownSignal(handler: (signal: NodeJS.Signals) => void): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => handler(signal));
  }
}
