export * as schema from "./schema/index.js";
export { connectDatabase, inTransaction, inSendingTransaction, type Db, type Tx, type DbHandle } from "./client.js";
export type { Sending } from "./transaction.js";
