import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createKafkaBus, startOutboxRelay } from "@centralita/router";
import { EVENT_TOPIC } from "@centralita/router/events";
import { freshDatabase } from "../../router/test/support/database.js";
import { storedEvents, tempClickHouse } from "./support/clickhouse.js";
import { writeSyntheticEvents } from "./support/synthetic.js";
import { startMockKafka } from "./support/kafka-broker.js";
import { committedOffsets } from "./support/kafka.js";
import { eventually, outboxSize } from "./support/wait.js";

const TOTAL = 20_000;
const database = await freshDatabase();
const broker = await startMockKafka();
afterAll(async () => {
  await broker.stop();
  await database.close();
});

type RunningIngest = { child: ChildProcess; metricsUrl: string; exited: Promise<number | null> };

/** `npm run start -w ingest` as production runs it: its own process, Kafka in, embedded ClickHouse out. */
async function spawnIngest(dataDir: string, groupId = "crash-test"): Promise<RunningIngest> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../src/main.ts")], {
    env: { ...process.env, KAFKA_BROKERS: broker.brokers.join(","), CENTRALITA_DATA_DIR: dataDir, INGEST_GROUP_ID: groupId,
      INGEST_FLUSH_ROWS: "300", INGEST_FLUSH_MS: "20", INGEST_METRICS_PORT: "0", INGEST_SESSION_TIMEOUT_MS: "6000" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"metrics":"(http:[^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`ingest exited (${code}) before it was ready: ${out.slice(-800)}`)));
  });
  return { child, metricsUrl, exited };
}

async function insertedSoFar(metricsUrl: string): Promise<number> {
  const text = await fetch(metricsUrl).then((r) => r.text()).catch(() => "");
  return Number(/centralita_ingest_events_total\{source="kafka"\} (\d+)/.exec(text)?.[1] ?? 0);
}

describe("ingest killed with SIGKILL mid-stream, then restarted", () => {
  it("ClickHouse ends with exactly the events Postgres committed: none lost, none counted twice", async () => {
    const written = await writeSyntheticEvents(database.db, { conversations: 400, perConversation: TOTAL / 400 });
    const relay = startOutboxRelay({ sql: database.sql, bus: createKafkaBus({ brokers: broker.brokers }), batchSize: 5000 });
    await eventually(async () => (await outboxSize(database.sql)) === 0, { timeoutMs: 60_000, what: "the outbox to reach Kafka" });
    await relay.stop();

    const dataDir = await mkdtemp(path.join(os.tmpdir(), "centralita-ingest-crash-"));
    const first = await spawnIngest(dataDir);
    const atKill = await eventually(async () => { const n = await insertedSoFar(first.metricsUrl); return n > 0 ? n : 0; }, { intervalMs: 5, what: "the first inserts" });
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe(null);
    expect(atKill).toBeLessThan(TOTAL);

    const second = await spawnIngest(dataDir);
    await eventually(async () => (await committedOffsets(broker.brokers, "crash-test", EVENT_TOPIC)) === TOTAL, { timeoutMs: 90_000, intervalMs: 250, what: "every offset committed" });
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const clickhouse = await tempClickHouse(path.join(dataDir, "clickhouse"));
    try {
      const stored = await storedEvents(clickhouse.client);
      expect(stored.ids.length).toBe(TOTAL);
      expect(new Set(stored.ids)).toEqual(new Set(written.ids));
      expect(stored.rawRows).toBeGreaterThanOrEqual(TOTAL); // redelivered rows exist until merges collapse them
    } finally {
      await clickhouse.close();
    }
  });

  it("SIGTERM mid-stream flushes: everything written to ClickHouse is committed, nothing is left to redeliver", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "centralita-ingest-term-"));
    const running = await spawnIngest(dataDir, "term-test");
    await eventually(async () => (await insertedSoFar(running.metricsUrl)) > 0, { intervalMs: 5, what: "the first inserts" });
    running.child.kill("SIGTERM");
    expect(await running.exited).toBe(0);
    const committed = await committedOffsets(broker.brokers, "term-test", EVENT_TOPIC);
    expect(committed).toBeGreaterThan(0);

    const clickhouse = await tempClickHouse(path.join(dataDir, "clickhouse"));
    try {
      const stored = await storedEvents(clickhouse.client);
      // A graceful stop commits exactly what it wrote, so a restart would redeliver nothing already stored.
      expect(stored.rawRows).toBe(committed);
      expect(stored.ids.length).toBe(committed);
    } finally {
      await clickhouse.close();
    }
  });
});
