export * as schema from "./schema/index.js";
export { connectDatabase, inTransaction, type Db, type Tx, type DbHandle } from "./client.js";
