import { afterAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./support/database.js";
import { inTransaction } from "../src/db/index.js";
import { rawSql } from "../src/db/raw.js";

/** The transaction runner every command uses: BEGIN travels with the first statement, and nothing half-done commits. */
describe("pipelined transactions", async () => {
  const database = await freshDatabase();
  afterAll(() => database.close());
  await database.sql`CREATE TABLE notes_t (id int PRIMARY KEY, body text NOT NULL)`;
  const bodies = async () => (await database.sql`SELECT body FROM notes_t ORDER BY id`).map((r) => r.body);

  it("commits what the work wrote, as one transaction invisible to others until the end", async () => {
    const result = await inTransaction(database.db, async (tx) => {
      await rawSql(tx)`INSERT INTO notes_t VALUES (1, 'uno')`;
      expect(await bodies()).toEqual([]); // another connection does not see it yet
      await rawSql(tx)`INSERT INTO notes_t VALUES (2, 'dos')`;
      return "hecho";
    });
    expect(result).toBe("hecho");
    expect(await bodies()).toEqual(["uno", "dos"]);
  });

  it("rolls everything back when the work throws", async () => {
    await expect(inTransaction(database.db, async (tx) => {
      await rawSql(tx)`INSERT INTO notes_t VALUES (3, 'tres')`;
      throw new Error("cambio de planes");
    })).rejects.toThrow("cambio de planes");
    expect(await bodies()).toEqual(["uno", "dos"]);
  });

  it("fails, writing nothing, when a statement failed even if the work swallowed its error", async () => {
    await expect(inTransaction(database.db, async (tx) => {
      await rawSql(tx)`INSERT INTO notes_t VALUES (4, 'cuatro')`;
      await rawSql(tx)`INSERT INTO notes_t VALUES (1, 'repetido')`.catch(() => {});
      return "parece bien";
    })).rejects.toThrow(/rolled back/);
    expect(await bodies()).toEqual(["uno", "dos"]);
  });

  it("leaves the connection clean for the next transaction after a failure", async () => {
    for (let i = 0; i < 25; i++) { // more than the pool: every connection goes through a failure and back
      await inTransaction(database.db, async (tx) => { await rawSql(tx)`SELECT 1/0`; }).catch(() => {});
    }
    await inTransaction(database.db, async (tx) => { await rawSql(tx)`INSERT INTO notes_t VALUES (5, 'cinco')`; });
    const [{ open }] = await database.sql`SELECT count(*)::int AS open FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'` as any;
    expect(open).toBe(0);
    expect(await bodies()).toEqual(["uno", "dos", "cinco"]);
  });
});
