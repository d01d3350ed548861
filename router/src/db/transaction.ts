import type postgres from "postgres";
import { PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js/session";
import type { Db, Tx } from "./client.js";

type Internals = {
  session: { client: postgres.Sql; schema: unknown; options: unknown };
  dialect: ConstructorParameters<typeof PostgresJsTransaction>[0];
};

function internalsOf(db: Db): Internals {
  const { session, dialect } = db as unknown as Partial<Internals>;
  if (typeof session?.client?.reserve !== "function" || !dialect) throw new Error("drizzle-orm changed: no postgres.js client under this database");
  return { session, dialect };
}

/** COMMIT inside a transaction a statement aborted answers ROLLBACK instead of failing: that must not pass for success. */
class AbortedTransaction extends Error {
  constructor() {
    super("The transaction was rolled back: one of its statements failed");
  }
}

/**
 * Work that tells when its last statement is out: `sent` resolves once it will send nothing more (it rejects,
 * or `result` does, when the work fails before that); `result` once the answers are in.
 */
export type Sending<T> = { sent: Promise<void>; result: Promise<T> };

/**
 * One transaction on a reserved connection, as drizzle's would be, except that BEGIN is not awaited on its
 * own: it goes out in the same write as the work's first statement, so every command saves a round trip (a
 * wake-up of the server and of this process: on a loaded box most of a short transaction's cost). Any failure
 * of the work rolls back; a COMMIT answered by ROLLBACK (a statement failed, its error swallowed) throws.
 */
export function pipelinedTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return committedWhenSent(db, (tx) => {
    const result = Promise.resolve(work(tx)); // adopted once: a query builder runs its query on every then
    return { sent: result.then(() => {}), result };
  });
}

/**
 * `pipelinedTransaction` for work that says when its last statement is out: COMMIT follows right behind it,
 * in the same round trip as the work's last answers, instead of one round trip later. Only statement
 * failures may surface after `sent` (they abort the transaction, so COMMIT answers ROLLBACK and this throws):
 * an error of the work's own code after `sent` comes too late to stop the COMMIT, and throws after it.
 */
export async function committedWhenSent<T>(db: Db, work: (tx: Tx) => Sending<T>): Promise<T> {
  const { session, dialect } = internalsOf(db);
  const conn = await session.client.reserve();
  try {
    const begun = conn`BEGIN`.execute();
    begun.catch(() => {}); // its failure surfaces as the first statement's, and again below
    const txSession = new PostgresJsSession<never, never, never>(conn as never, dialect, session.schema as never, session.options as never);
    const tx = new PostgresJsTransaction(dialect, txSession as never, session.schema as never) as unknown as Tx;
    const { sent, result } = work(tx);
    result.catch(() => {}); // awaited below, on every path
    try {
      await sent;
      await begun;
    } catch (error) {
      await result.catch(() => {}); // no statement of the work may outlive the ROLLBACK (it would run outside any transaction)
      await conn`ROLLBACK`.catch(() => {});
      throw error;
    }
    const committed = conn`COMMIT`.execute();
    committed.catch(() => {});
    const value = await result.finally(() => committed.catch(() => {}));
    if ((await committed).command !== "COMMIT") throw new AbortedTransaction();
    return value;
  } finally {
    conn.release();
  }
}
