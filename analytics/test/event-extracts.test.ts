import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { clickhouseMigrationsFolder } from "@centralita/migrations";
import { metricValue, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

/**
 * `transfers` and `template_messages` (migration 0006) stand in for `events` in the transfer and template
 * metrics: they must give what the events give, by hand and by the old JSON-parsing queries, whatever the
 * duplicates (a redelivery, the migration's backfill running over rows its view already copied).
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const [ventas, soporte] = [randomUUID(), randomUUID()];
const h = new History();
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);

// A: Ana → Carlos after 10 min, Carlos → Ana after 5 more. B: María → Ana after 4 min, then to the support team
// (no agent: the pair falls back to the team). C: no transfer; Ana sends a template, an automation another.
const a = h.conversation({ teamId: ventas }).open(d("09:00")).assign(d("09:00"), ana).agent(d("09:02"))
  .transfer(d("09:10"), carlos, "precio").agent(d("09:12")).transfer(d("09:15"), ana, "vuelta").agent(d("09:20")).resolve(d("09:30"));
const b = h.conversation({ teamId: ventas }).open(d("10:00")).assign(d("10:00"), maria, "round_robin").agent(d("10:01")).transfer(d("10:04"), ana, "precio");
h.add("conversation.transferred", { conversationId: b.id, contactId: b.contactId, teamId: ventas, agentId: ana },
  { cycle: 1, from_agent_id: ana, from_team_id: ventas, to_agent_id: null, to_team_id: soporte, reason: "soporte", note_id: null }, d("10:20"));
h.conversation({ teamId: ventas }).open(d("11:00")).assign(d("11:00"), ana).sent(d("11:05"), "agent", ana, "seguimiento")
  .sent(d("12:00"), "template", null, "recordatorio").resolve(d("12:30"));
await loadEvents(client, h.events);

const day: MetricQuery = { tenantId: h.tenantId, from: d("00:00"), to: at("2026-03-03T00:00:00"), timeZone: "UTC", bucket: "day" };
const byKey = async (id: string) => Object.fromEntries((await runMetric(client, id, day)).rows.map((r) => [r.series ? `${r.key}/${r.series}` : r.key, r.value]));
const eventsQuery = async (query: string) => (await client.query({ query, query_params: { tenant: h.tenantId }, format: "JSONEachRow" })).json<Record<string, string | number>>();

/** What the metrics read before the extracts existed: `events` itself, JSON parsed per row, one row per id. */
async function fromEvents() {
  const transfers = `(SELECT * FROM events WHERE tenant_id = {tenant:UUID} AND type = 'conversation.transferred' LIMIT 1 BY id)`;
  const count = (side: string) => eventsQuery(`SELECT JSONExtractString(payload, '${side}') AS key, count() AS n FROM ${transfers} WHERE key != '' GROUP BY key ORDER BY key`);
  return {
    out: await count("from_agent_id"),
    in: await count("to_agent_id"),
    reasons: await eventsQuery(`SELECT JSONExtractString(payload, 'reason') AS key, count() AS n FROM ${transfers} GROUP BY key ORDER BY key`),
    templates: await eventsQuery(`SELECT count() AS n FROM (SELECT * FROM events WHERE tenant_id = {tenant:UUID} AND type = 'message.sent' LIMIT 1 BY id)
      WHERE JSONExtractString(payload, 'template_name') != ''`),
  };
}
const asMap = (rows: Array<Record<string, string | number>>) => Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));

/** Every metric the extracts feed. */
async function snapshot() {
  return {
    transfers: await metricValue(client, "transfers", day), out: await byKey("agent_transfers_out"), in: await byKey("agent_transfers_in"),
    pairs: await byKey("transfers_by_pair"), reasons: await byKey("transfers_by_reason"), rate: await metricValue(client, "transfer_rate", day),
    before: await metricValue(client, "time_before_transfer_avg", day), templates: (await runMetric(client, "templates_sent", day)).rows,
  };
}

describe("the transfer and template extracts", () => {
  it("give the hand-counted numbers, the same the events give", async () => {
    const now = await snapshot();
    expect(now.transfers).toBe(4);
    expect(now.out).toEqual({ [ana]: 2, [carlos]: 1, [maria]: 1 });
    expect(now.in).toEqual({ [carlos]: 1, [ana]: 2 });
    expect(now.pairs).toEqual({ [`${ana}/${carlos}`]: 1, [`${carlos}/${ana}`]: 1, [`${maria}/${ana}`]: 1, [`${ana}/${soporte}`]: 1 });
    expect(now.reasons).toEqual({ precio: 2, vuelta: 1, soporte: 1 });
    // Handled (assignee who wrote): A by Ana and Carlos, B by María, C by Ana: 3 conversations.
    expect(now.rate).toBeCloseTo(4 / 3, 9);
    // Stints ended by a transfer of their holder: Ana 09:00–09:10, Carlos 09:10–09:15, María 10:00–10:04 (B's
    // transfer to a team assigns nobody, so Ana's stint never ends there).
    expect(now.before).toBeCloseTo(mean([600, 300, 240]), 9);
    expect(now.templates).toEqual([{ bucket: "2026-03-02 00:00", value: 2 }]);

    const old = await fromEvents();
    expect(asMap(old.out)).toEqual(now.out);
    expect(asMap(old.in)).toEqual(now.in);
    expect(asMap(old.reasons)).toEqual(now.reasons);
    expect(Number(old.templates[0]!.n)).toBe(2);
  });

  it("count an event once however often it is stored: redelivered, or copied again by the backfill", async () => {
    const before = await snapshot();
    for (const table of ["events", "transfers", "template_messages"]) await client.command({ query: `SYSTEM STOP MERGES ${table}` });
    await loadEvents(client, h.events);
    // The migration's backfill statements, run again over rows the views already copied.
    const migration = await readFile(path.join(clickhouseMigrationsFolder, "0006_event_extracts.sql"), "utf8");
    const backfills = migration.split(/;\s*\n/).map((s) => s.split("\n").filter((l) => !l.trim().startsWith("--")).join("\n").trim()).filter((s) => s.startsWith("INSERT"));
    expect(backfills).toHaveLength(2);
    for (const query of backfills) await client.command({ query });
    // Every transfer and template now sits there more than once (both deliveries, and the backfill's copies).
    const [stored] = await eventsQuery(`SELECT (SELECT min(n) FROM (SELECT count() AS n FROM transfers WHERE tenant_id = {tenant:UUID} GROUP BY id)) AS t,
      (SELECT min(n) FROM (SELECT count() AS n FROM template_messages WHERE tenant_id = {tenant:UUID} GROUP BY id)) AS m`);
    expect(Number(stored!.t)).toBeGreaterThanOrEqual(2);
    expect(Number(stored!.m)).toBeGreaterThanOrEqual(2);
    expect(await snapshot()).toEqual(before);
    for (const table of ["events", "transfers", "template_messages"]) {
      await client.command({ query: `SYSTEM START MERGES ${table}` });
      await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
    }
    expect(await snapshot()).toEqual(before);
  });
});
