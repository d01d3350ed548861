import type postgres from "postgres";
import type { EventEnvelope } from "../events/index.js";
import type { LiveHub } from "../live/hub.js";
import type { BusRecord, EventBus } from "./bus.js";
import { outboxSignal } from "./signal.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * Claims the oldest committed rows no other relay holds, in (created_at, id) order. Two guards keep each
 * conversation's events in order when several relays run at once: a relay takes a key only with its
 * transaction-scoped advisory lock, and never a row whose key has an earlier row it did not claim (held by
 * another relay, or beyond this batch). Skipped rows are simply taken by a later round.
 */
async function claimBatch(tx: postgres.TransactionSql, batchSize: number): Promise<BusRecord[]> {
  // A queue table's statistics are always stale: the planner then bitmap-scans and sorts the whole backlog
  // (49 ms per 5,000 of 50,000 rows) instead of walking the (created_at, id) index to the limit (6 ms).
  await tx`SET LOCAL enable_bitmapscan = off`;
  return tx<BusRecord[]>`
    WITH claimed AS (
      SELECT id, key, created_at FROM outbox
      WHERE published_at IS NULL
      ORDER BY created_at, id
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    ), owned_keys AS (
      SELECT key FROM (SELECT DISTINCT key FROM claimed) k
      WHERE pg_try_advisory_xact_lock(727100, hashtext(key))
    ), blockers AS (
      -- Per key, the earliest row this round did not claim: nothing at or after it may go out now.
      SELECT k.key, b.created_at, b.id FROM owned_keys k
      CROSS JOIN LATERAL (
        SELECT e.created_at, e.id FROM outbox e
        WHERE e.key = k.key AND e.id NOT IN (SELECT id FROM claimed)
        ORDER BY e.created_at, e.id
        LIMIT 1
      ) b
    )
    SELECT c.id, c.key, o.envelope::text AS value
    FROM claimed c
    JOIN owned_keys k ON k.key = c.key
    JOIN outbox o ON o.id = c.id
    LEFT JOIN blockers b ON b.key = c.key
    WHERE b.key IS NULL OR (c.created_at, c.id) < (b.created_at, b.id)
    ORDER BY c.created_at, c.id`;
}

export type RelayResult = { published: number; records: BusRecord[] };

/**
 * One round: claim, publish, delete, commit. The rows stay locked while the bus works; if the bus fails the
 * transaction rolls back and the rows wait for the next round. A crash after the bus acked but before the
 * commit republishes the batch: consumers are idempotent on event id, so that is a duplicate in transit,
 * never in effect.
 */
export async function relayOnce(sql: postgres.Sql, bus: EventBus, batchSize = 2000): Promise<RelayResult> {
  let records: BusRecord[] = [];
  try {
    await sql.begin(async (tx) => {
      records = await claimBatch(tx, batchSize);
      if (records.length === 0) return;
      await bus.publish(records);
      await tx`DELETE FROM outbox WHERE id = ANY(${records.map((r) => r.id)}::uuid[])`;
    });
  } catch (error) {
    if (records.length) await noteFailure(sql, records, error);
    throw error;
  }
  return { published: records.length, records };
}

async function noteFailure(sql: postgres.Sql, records: BusRecord[], error: unknown) {
  const message = String((error as Error)?.message ?? error).slice(0, 500);
  await sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${message} WHERE id = ANY(${records.map((r) => r.id)}::uuid[])`.catch(() => {});
}

export type RelayOptions = {
  sql: postgres.Sql;
  bus: EventBus;
  live?: LiveHub;
  log?: Log;
  /** Concurrent claim loops in this process; instances add more. */
  workers?: number;
  batchSize?: number;
  /** Idle poll, for rows committed by other processes (this process's own writes wake the relay at once). */
  pollMs?: number;
};

export type RelayStats = { published: number; failures: number; lastError: string | null; lastPublishedAt: Date | null };

export type OutboxRelay = { stats: RelayStats; backlog: () => Promise<number>; stop: () => Promise<void> };

export function startOutboxRelay(options: RelayOptions): OutboxRelay {
  const { sql, bus, live, log = () => {}, workers = 1, batchSize = 2000, pollMs = 100 } = options;
  const stats: RelayStats = { published: 0, failures: 0, lastError: null, lastPublishedAt: null };
  let stopped = false;
  const sleepers = new Set<() => void>();
  const wakeAll = () => { for (const wake of sleepers) wake(); };
  const unlisten = outboxSignal.listen(wakeAll);

  const pause = (ms: number) => new Promise<void>((resolve) => {
    const done = () => { clearTimeout(timer); sleepers.delete(done); resolve(); };
    const timer = setTimeout(done, ms);
    sleepers.add(done);
  });

  async function loop() {
    let backoffMs = 0;
    while (!stopped) {
      try {
        const { published, records } = await relayOnce(sql, bus, batchSize);
        if (backoffMs) log("outbox relay recovered", { bus: bus.name });
        backoffMs = 0;
        if (published) {
          stats.published += published;
          stats.lastPublishedAt = new Date();
          if (live) live.publish(records.map((r) => JSON.parse(r.value) as EventEnvelope));
        }
        if (published < batchSize) await pause(pollMs);
      } catch (error) {
        stats.failures += 1;
        stats.lastError = String((error as Error)?.message ?? error);
        backoffMs = Math.min(Math.max(backoffMs * 2, 200), 10_000);
        log("outbox relay: bus refused the batch, retrying", { bus: bus.name, error: stats.lastError, retryInMs: backoffMs });
        await pause(backoffMs * (0.5 + Math.random() / 2));
      }
    }
  }

  const loops = Array.from({ length: workers }, () => loop());
  return {
    stats,
    backlog: async () => Number((await sql`SELECT count(*)::int AS n FROM outbox`)[0]!.n),
    async stop() {
      stopped = true;
      unlisten();
      wakeAll();
      await Promise.all(loops);
    },
  };
}
