import type postgres from "postgres";
import type { EventEnvelope } from "../events/index.js";
import type { LiveHub } from "../live/hub.js";
import type { BusRecord, EventBus } from "./bus.js";
import { outboxSignal } from "./signal.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;

/**
 * Claims the oldest committed rows, in (created_at, id) order, of conversations no other relay is working
 * on. A relay first takes the keys of the oldest rows with transaction-scoped advisory locks (one try per
 * key, never waiting), then every row it takes belongs to a key it owns: a conversation is published by one
 * relay at a time, from its earliest row, so several relays can never reorder it. FOR UPDATE re-checks rows
 * another relay deleted after this statement's snapshot, so a batch just published is not published again.
 *
 * It locks only as many keys as one batch needs (counted in a window four batches deep), skipping keys whose
 * lock another session holds: a relay that locked every key in the window would leave nothing for the next
 * claim while its batch is on the bus, and claiming the next batch meanwhile is what keeps the bus busy.
 */
async function claimBatch(tx: postgres.TransactionSql, batchSize: number): Promise<BusRecord[]> {
  // A queue table's statistics are always stale. Planned for a handful of rows, the claim bitmap-scans and
  // sorts the whole backlog (49 ms per 5,000 of 50,000 rows) instead of walking the (created_at, id) index
  // (6 ms), and the cached generic plans postgres.js gets after five runs were worse still (1.5–2 s per batch).
  await tx`SELECT set_config('enable_bitmapscan', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)`;
  const [owned] = await tx<{ keys: string[] | null }[]>`
    WITH oldest AS (
      SELECT key, row_number() OVER (ORDER BY created_at, id) AS pos
      FROM outbox WHERE published_at IS NULL ORDER BY created_at, id LIMIT ${batchSize * 4}
    ), held AS MATERIALIZED (
      SELECT objid FROM pg_locks
      WHERE locktype = 'advisory' AND classid = ${LOCK_SPACE} AND objsubid = 2 AND pid <> pg_backend_pid()
    ), free AS (
      SELECT key, count(*) AS n, min(pos) AS first FROM oldest
      WHERE hashtext(key)::oid NOT IN (SELECT objid FROM held)
      GROUP BY key
    ), ranked AS (
      SELECT key, sum(n) OVER (ORDER BY first) - n AS before FROM free
    )
    -- CASE fixes the evaluation order: a key past the batch's rows is never locked.
    SELECT array_agg(key) AS keys FROM ranked
    WHERE CASE WHEN before < ${batchSize} THEN pg_try_advisory_xact_lock(${LOCK_SPACE}, hashtext(key)) ELSE false END`;
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

/** The relay's advisory-lock namespace (first key of the two-int lock). */
const LOCK_SPACE = 727100;

/** Runs tasks one after another; a failed task does not stop the next. */
export function oneByOne() {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = last.then(task, task);
    last = run.catch(() => undefined);
    return run;
  };
}

export type RelayResult = { published: number; records: BusRecord[] };

/**
 * One round: claim, publish, delete, commit. The rows stay locked while the bus works; if the bus fails the
 * transaction rolls back and the rows wait for the next round. A crash after the bus acked but before the
 * commit republishes the batch: consumers are idempotent on event id, so that is a duplicate in transit,
 * never in effect. `claimTurn` serialises the claims of rounds running side by side in one process, so each
 * claim sees the keys the previous one locked instead of racing it for the same keys.
 */
export async function relayOnce(sql: postgres.Sql, bus: EventBus, batchSize = 2000, claimTurn = oneByOne()): Promise<RelayResult> {
  let records: BusRecord[] = [];
  try {
    await sql.begin(async (tx) => {
      records = await claimTurn(() => claimBatch(tx, batchSize));
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
  /**
   * Rounds each worker keeps in flight: with 2, the next batch is claimed (and, on the in-process bus,
   * validated) while the previous one is on the bus, instead of the stages running one after another.
   */
  depth?: number;
  batchSize?: number;
  /** Idle poll, for rows committed by other processes (this process's own writes wake the relay at once). */
  pollMs?: number;
};

export type RelayStats = { published: number; failures: number; lastError: string | null; lastPublishedAt: Date | null };

export type OutboxRelay = { stats: RelayStats; backlog: () => Promise<number>; stop: () => Promise<void> };

export function startOutboxRelay(options: RelayOptions): OutboxRelay {
  const { sql, bus, live, log = () => {}, workers = 1, depth = 2, batchSize = 2000, pollMs = 100 } = options;
  const claimTurn = oneByOne();
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
        const { published, records } = await relayOnce(sql, bus, batchSize, claimTurn);
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

  const loops = Array.from({ length: workers * depth }, () => loop());
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
