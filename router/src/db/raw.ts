import type postgres from "postgres";
import { getTableColumns, type Table } from "drizzle-orm";
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

type Mapper<T extends Table> = (row: Record<string, unknown>) => T["$inferSelect"];

/**
 * Turns a raw `SELECT *` row of a drizzle table into the object drizzle's own select would return (column
 * keys, Dates, parsed JSON), without building the query through drizzle: the hot path's reads.
 */
export function rowMapper<T extends Table>(table: T): Mapper<T> {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column] as const);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const [key, name, column] of columns) {
      const value = row[name];
      out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return out as T["$inferSelect"];
  };
}
