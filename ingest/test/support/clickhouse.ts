import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { connectClickHouse, migrateClickHouse, type ClickHouse } from "@centralita/migrations";

/**
 * A migrated embedded ClickHouse in a fresh directory (one per test process: chdb allows no second), removed on close
 * (each run of the suite left ~60 behind, gigabytes in a day of runs); a directory the caller names stays.
 */
export async function tempClickHouse(dataDir?: string): Promise<ClickHouse & { dataDir: string }> {
  const dir = dataDir ?? await mkdtemp(path.join(os.tmpdir(), "centralita-ch-"));
  const clickhouse = await connectClickHouse({ dataDir: dir });
  await migrateClickHouse(clickhouse.client);
  const close = async () => {
    await clickhouse.close();
    if (dataDir === undefined) await rm(dir, { recursive: true, force: true });
  };
  return { ...clickhouse, close, dataDir: dir };
}

/**
 * The same ClickHouse behind a switch: while `down`, every insert fails the way an unreachable server does
 * (the client never gets an answer). Reads keep working so the test can look.
 */
export function switchableClickHouse(client: ClickHouseClient) {
  const state = { down: false, refusedInserts: 0 };
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "insert") {
        return async (...args: Parameters<ClickHouseClient["insert"]>) => {
          if (state.down) {
            state.refusedInserts += 1;
            throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:8123"), { code: "ECONNREFUSED" });
          }
          return target.insert(...args);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { client: proxy, state };
}

async function rows<T>(client: ClickHouseClient, query: string): Promise<T[]> {
  const result = await client.query({ query, format: "JSONEachRow" });
  return result.json<T>();
}

/** Event ids as a query sees them after deduplication (FINAL), and the raw row count before it. */
export async function storedEvents(client: ClickHouseClient) {
  const ids = (await rows<{ id: string }>(client, "SELECT toString(id) AS id FROM events FINAL")).map((r) => r.id);
  const [raw] = await rows<{ n: string }>(client, "SELECT count() AS n FROM events");
  return { ids, rawRows: Number(raw!.n) };
}

export async function deadLetters(client: ClickHouseClient) {
  return rows<{ step: string; reason: string; event_id: string; source: string }>(client, "SELECT step, reason, event_id, source FROM dead_letters ORDER BY received_at");
}
