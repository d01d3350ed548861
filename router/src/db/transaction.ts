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
 * One transaction on a reserved connection, as drizzle's would be, except that BEGIN is not awaited on its
 * own: it goes out in the same write as the work's first statement, so every command saves a round trip (a
 * wake-up of the server and of this process: on a loaded box most of a short transaction's cost). Any failure
 * of the work rolls back; a COMMIT answered by ROLLBACK (a statement failed, its error swallowed) throws.
 */
export async function pipelinedTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  const { session, dialect } = internalsOf(db);
  const conn = await session.client.reserve();
  try {
    const begun = conn`BEGIN`.execute();
    begun.catch(() => {}); // its failure surfaces as the first statement's, and again below
    const txSession = new PostgresJsSession<never, never, never>(conn as never, dialect, session.schema as never, session.options as never);
    const tx = new PostgresJsTransaction(dialect, txSession as never, session.schema as never) as unknown as Tx;
    let result: T;
    try {
      result = await work(tx);
      await begun;
    } catch (error) {
      await conn`ROLLBACK`.catch(() => {});
      throw error;
    }
    const committed = await conn`COMMIT`;
    if (committed.command !== "COMMIT") throw new AbortedTransaction();
    return result;
  } finally {
    conn.release();
  }
}
