import type postgres from "postgres";
import type { EventEnvelope } from "../events/index.js";
import type { LiveHub } from "../live/hub.js";
import type { BusRecord, EventBus } from "./bus.js";
import { outboxSignal } from "./signal.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * Claims the oldest committed rows, in (created_at, id) order, of conversations no other relay is working
 * on. A relay first takes the keys of the oldest rows with transaction-scoped advisory locks (one try per
 * key, never waiting; the window is four batches deep so a second relay finds conversations of its own),
 * then every row it takes belongs to a key it owns: a conversation is published by one relay at a
 * time, from its earliest row, so several relays can never reorder it. FOR UPDATE re-checks rows another
 * relay deleted after this statement's snapshot, so a batch just published is not published again.
 */
async function claimBatch(tx: postgres.TransactionSql, batchSize: number): Promise<BusRecord[]> {
  // A queue table's statistics are always stale. Planned for a handful of rows, the claim bitmap-scans and
  // sorts the whole backlog (49 ms per 5,000 of 50,000 rows) instead of walking the (created_at, id) index
  // (6 ms), and the cached generic plans postgres.js gets after five runs were worse still (1.5–2 s per batch).
  await tx`SELECT set_config('enable_bitmapscan', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`;
  const [owned] = await tx<{ keys: string[] | null }[]>`
    SELECT array_agg(key) AS keys FROM (
      SELECT DISTINCT key FROM (SELECT key FROM outbox WHERE published_at IS NULL ORDER BY created_at, id LIMIT ${batchSize * 4}) oldest
    ) k
    WHERE pg_try_advisory_xact_lock(727100, hashtext(key))`;
  const keys = owned?.keys;
  if (!keys?.length) return [];
  // Walks the claim order and keeps the owned keys' rows (a hashed lookup: custom plans see the array as a
  // constant) until the limit, rather than gathering every row of every owned key and sorting them.
  return tx<BusRecord[]>`
    WITH batch AS (
      SELECT id, created_at FROM outbox
      WHERE published_at IS NULL AND key = ANY(${keys}::text[])
      ORDER BY created_at, id
      LIMIT ${batchSize}
    )
    SELECT o.id, o.key, o.envelope::text AS value
    FROM outbox o JOIN batch b ON b.id = o.id
    ORDER BY b.created_at, b.id
    FOR UPDATE OF o`;
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
      await tx`DELETE FROM outbox o USING unnest(${records.map((r) => r.id)}::uuid[]) AS d(id) WHERE o.id = d.id`;
    });
  } catch (error) {
    if (records.length) await noteFailure(sql, records, error);
    throw error;
  }
  return { published: records.length, records };
}

async function noteFailure(sql: postgres.Sql, records: BusRecord[], error: unknown) {
  const message = String((error as Error)?.message ?? error).slice(0, 500);
  await sql`UPDATE outbox o SET attempts = attempts + 1, last_error = ${message} FROM unnest(${records.map((r) => r.id)}::uuid[]) AS d(id) WHERE o.id = d.id`.catch(() => {});
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
