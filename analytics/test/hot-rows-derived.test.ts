import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { benchIds, generate, type BenchRow } from "../bench/generate.js";
import { hotRowsSql } from "../src/query/cycles.js";
import { STATEMENT_SETTINGS } from "../src/query/input.js";
import { computeHotRows } from "../src/rollup/hot-rows.js";
import { DERIVED_COLUMNS } from "../src/rollup/hot-rows-derived.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * The state derives the hot rows' stored columns in TypeScript (`hot-rows-derived.ts`); the rollup stores them, and
 * statements without hot rows compute them, in SQL (`cycle-columns.ts`). Both must give the same values for every cycle:
 * a generated week (claims, transfers, reopens, sales, surveys) and hand-written edge cases, read back by ClickHouse
 * from both texts and compared column by column (`agent_sums` as a set: its order means nothing).
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

async function loadGenerated(tenantIds: string[]): Promise<Array<[string, number]>> {
  const rows: BenchRow[] = [...generate({ conversations: 400, agents: 8, days: 3, end: new Date("2026-03-09T00:00:00Z"), seed: 11 })].flat();
  await client.insert({ table: "events", values: rows, format: "JSONEachRow" });
  tenantIds.push(benchIds(8).tenant);
  const result = await client.query({ query: "SELECT DISTINCT toString(conversation_id) AS c, cycle FROM cycle_facts_v2 WHERE tenant_id = {t:UUID}", query_params: { t: benchIds(8).tenant }, format: "JSONEachRow" });
  return (await result.json<{ c: string; cycle: number }>()).map((r) => [r.c, Number(r.cycle)]);
}

/** Edge cases the generator may not reach: an agent writing first after an agent's reopen, an unanswered run, an unassign, the same agent twice. */
async function loadEdgeCases(): Promise<{ tenant: string; hot: Array<[string, number]> }> {
  const [ana, beto] = [randomUUID(), randomUUID()];
  const h = new History();
  const a = h.conversation();
  a.open(at("2026-03-02T10:00")).assign(at("2026-03-02T10:01"), ana).agent(at("2026-03-02T10:04")).customer(at("2026-03-02T10:05"))
    .customer(at("2026-03-02T10:06")).agent(at("2026-03-02T10:20")).resolve(at("2026-03-02T11:00"))
    .reopenByAgent(at("2026-03-02T12:00"), beto).agent(at("2026-03-02T12:01"), beto).customer(at("2026-03-02T12:30")).agent(at("2026-03-02T12:31"), beto);
  const b = h.conversation();
  b.open(at("2026-03-02T13:00")).assign(at("2026-03-02T13:01"), ana).assign(at("2026-03-02T13:02"), ana).transfer(at("2026-03-02T13:10"), beto)
    .agent(at("2026-03-02T13:15"), beto).customer(at("2026-03-02T13:20"));
  h.conversation().open(at("2026-03-02T14:00")).customer(at("2026-03-02T14:01"));
  await loadEvents(client, h.events);
  const result = await client.query({ query: "SELECT DISTINCT toString(conversation_id) AS c, cycle FROM cycle_facts_v2 WHERE tenant_id = {t:UUID}", query_params: { t: h.tenantId }, format: "JSONEachRow" });
  return { tenant: h.tenantId, hot: (await result.json<{ c: string; cycle: number }>()).map((r) => [r.c, Number(r.cycle)]) };
}

/** Rows as ClickHouse reads them back from a hot rows text, by cycle, `agent_sums` sorted. */
async function readBack(text: string): Promise<unknown[]> {
  const columns = ["conversation_id", "cycle", ...DERIVED_COLUMNS.map(([name]) => name)].map((c) => (c === "agent_sums" ? "arraySort(agent_sums) AS agent_sums" : c));
  const result = await client.query({
    query: `SELECT ${columns.join(", ")} FROM format(TabSeparatedWithNamesAndTypes, {rows:String}) ORDER BY conversation_id, cycle`,
    query_params: { rows: text }, format: "JSONEachRow",
  });
  return result.json();
}

async function bothWays(tenant: string, hot: Array<[string, number]>): Promise<[unknown[], unknown[]]> {
  const conversations = [...new Set(hot.map(([c]) => c))];
  const inSql = await client.query({
    query: hotRowsSql(), query_params: { tenant, hot_conversations: conversations }, format: "TabSeparatedWithNamesAndTypes", clickhouse_settings: STATEMENT_SETTINGS,
  });
  return [await readBack((await computeHotRows(client, tenant, hot)).text), await readBack(await inSql.text())];
}

describe("the hot rows' stored columns derived in TypeScript", () => {
  it("equal the SQL's for every cycle of a generated history", async () => {
    const hot = await loadGenerated([]);
    expect(hot.length).toBeGreaterThan(400);
    const [derived, inSql] = await bothWays(benchIds(8).tenant, hot);
    expect(derived.length).toBe(hot.length);
    expect(derived).toEqual(inSql);
  });

  it("equal the SQL's for an agent writing first, unanswered runs, an unassign and the same agent twice", async () => {
    const { tenant, hot } = await loadEdgeCases();
    const [derived, inSql] = await bothWays(tenant, hot);
    expect(derived.length).toBe(4);
    expect(derived).toEqual(inSql);
    // Not vacuous: the agent's reopen answers first from its first answered run (the customer's 12:30 message, in 1 min).
    expect(derived).toContainEqual(expect.objectContaining({ exact_frt: 60 }));
  });
});
