import type postgres from "postgres";
import type { Tx } from "./client.js";

/**
 * The postgres.js transaction under a drizzle transaction, for the hot path (inbound messages and
 * assignment): its tagged templates cost microseconds of CPU where drizzle's builder and row mapping cost
 * a hundred or more, which profiling showed to be most of the router's CPU per message. Same transaction,
 * same locks. Timestamps come back as ISO strings and go in as strings (drizzle installs those parsers).
 */
export function rawSql(tx: Tx): postgres.TransactionSql {
  const client = (tx as unknown as { session?: { client?: postgres.TransactionSql } }).session?.client;
  if (typeof client !== "function") throw new Error("drizzle-orm changed: no postgres.js client under this transaction");
  return client;
}

export const iso = (d: Date) => d.toISOString();
