import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema/index.js";
import { committedWhenSent, pipelinedTransaction, type Sending } from "./transaction.js";

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type DbHandle = { db: Db; sql: postgres.Sql; close: () => Promise<void> };

export function connectDatabase(url: string, opts: { max?: number } = {}): DbHandle {
  const sql = postgres(url, { max: opts.max ?? 20, onnotice: () => {}, prepare: true });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

const RETRYABLE = new Set(["40001", "40P01"]); // serialization failure, deadlock detected

/**
 * Runs a command in one transaction and retries it when Postgres aborts it for a serialization failure or
 * a deadlock: the whole command re-reads state, so a retry can never apply half of one.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  return retried(() => pipelinedTransaction(db, work), attempts);
}

/** `inTransaction` for work that says when its last statement is out, so that COMMIT goes right behind it (`committedWhenSent`). */
export function inSendingTransaction<T>(db: Db, work: (tx: Tx) => Sending<T>, attempts = 5): Promise<T> {
  return retried(() => committedWhenSent(db, work), attempts);
}

async function retried<T>(run: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}
