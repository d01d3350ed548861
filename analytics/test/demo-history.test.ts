import { afterAll, describe, expect, it } from "vitest";
import { ensureDemoWorkspace, generateDemoHistory, startOutboxRelay, type DemoHistorySummary } from "@centralita/router";
import { freshDatabase } from "../../router/test/support/database.js";
import { createInProcessBus, createIngest, createIngestMetrics } from "../../ingest/src/index.js";
import { eventually, outboxSize } from "../../ingest/test/support/wait.js";
import { dashboards, metricValue, runDashboard, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";

const PASSWORD = "demo-history-password";
const keys = { appSecret: "demo-history-app-secret", secretKey: "7f".repeat(32) };
// A Thursday evening: three days of history are Monday 2 to Wednesday 4 March 2026 (Mexico City, UTC−6).
const NOW = new Date("2026-03-05T23:00:00Z");
const options = { password: PASSWORD, days: 3, perWeekday: { min: 14, max: 18 }, seed: 7, now: NOW };

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

/** The demo workspace in a fresh database, as `npm start` creates it. */
async function demoDatabase() {
  const database = await freshDatabase();
  afterAll(() => database.close());
  await ensureDemoWorkspace(database.db, PASSWORD);
  const [tenant] = await database.sql<{ id: string }[]>`SELECT id FROM tenants WHERE slug = 'demo'`;
  return { ...database, tenantId: tenant!.id };
}

describe("demo history through the real router and pipeline", () => {
  let summary: DemoHistorySummary;
  let pg: Awaited<ReturnType<typeof demoDatabase>>;
  let range: MetricQuery;

  it("plays three days into Postgres and, through relay and ingest, into ClickHouse", async () => {
    pg = await demoDatabase();
    const relay = startOutboxRelay({ sql: pg.sql, bus: createInProcessBus(createIngest({ clickhouse: clickhouse.client, source: "embedded", metrics: createIngestMetrics() })), pollMs: 20 });
    summary = await generateDemoHistory({ databaseUrl: pg.url, ...keys }, { tenantId: pg.tenantId, ...options });
    console.log("demo history", JSON.stringify(summary));
    await eventually(async () => (await outboxSize(pg.sql)) === 0, { what: "the outbox to drain", timeoutMs: 60_000 });
    await relay.stop();
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({ days: 3, from: "2026-03-02", to: "2026-03-04" });
    expect(summary.conversations).toBeGreaterThan(30);
    range = { tenantId: pg.tenantId, from: new Date("2026-03-02T06:00:00Z"), to: new Date("2026-03-05T06:00:00Z"), timeZone: "America/Mexico_City" };
  });

  it("leaves nothing open, every seat free and every agent online, as the live demo expects", async () => {
    const [open] = await pg.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = ${pg.tenantId} AND status <> 'resolved'`;
    expect(open!.n).toBe(0);
    const agents = await pg.sql<{ presence: string; active_chats: number }[]>`
      SELECT presence, active_chats FROM agents WHERE tenant_id = ${pg.tenantId} AND role = 'agent'`;
    expect(agents.every((a) => a.presence === "online" && a.active_chats === 0)).toBe(true);
    const [queued] = await pg.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM messages WHERE tenant_id = ${pg.tenantId} AND status = 'queued'`;
    expect(queued!.n).toBe(0);
  });

  it("Postgres and ClickHouse agree on conversations, and ClickHouse holds every event written", async () => {
    const [pgCount] = await pg.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM conversations WHERE tenant_id = ${pg.tenantId}`;
    expect(pgCount!.n).toBe(summary.conversations);
    expect(await metricValue(clickhouse.client, "conversations_opened", range)).toBe(pgCount!.n);
    const result = await clickhouse.client.query({ query: `SELECT count() AS n FROM events FINAL WHERE tenant_id = {t:UUID} AND occurred_at >= {from:DateTime64(3)} AND occurred_at < {to:DateTime64(3)}`,
      query_params: { t: pg.tenantId, from: range.from.getTime() / 1000, to: range.to.getTime() / 1000 }, format: "JSONEachRow" });
    const [events] = await result.json<{ n: string }>();
    // Creating the workspace wrote events at the real time; the history's own are all inside its range.
    expect(Number(events!.n)).toBe(summary.events);
  });

  it("gives every implemented panel of the nine dashboards data over the range", async () => {
    const empty: string[] = [];
    // Live operations reads the state at the end of its range: a Wednesday at 11:00, mid-history (at the
    // range's end everything is resolved, as it must be).
    const wednesdayMorning = { ...range, from: new Date("2026-03-04T16:00:00Z"), to: new Date("2026-03-04T17:00:00Z") };
    for (const dashboard of dashboards) {
      const query = dashboard.refresh === "live" ? wednesdayMorning : range;
      for (const panel of await runDashboard(clickhouse.client, dashboard.id, query)) {
        if (panel.status === "implemented" && (!panel.result || panel.result.rows.length === 0)) empty.push(`${dashboard.id}/${panel.metricId}`);
      }
    }
    expect(empty).toEqual([]);
  });

  it("makes the same history from the same seed", async () => {
    const again = await demoDatabase();
    const second = await generateDemoHistory({ databaseUrl: again.url, ...keys }, { tenantId: again.tenantId, ...options });
    // The generator's own draws are fixed by the seed; fibers of one round commit in any order, so the router's
    // choices (who gets a chat) and the events that follow from them may differ, the counts of what arrived not.
    const pick = (s: DemoHistorySummary) => ({ conversations: s.conversations, reopens: s.reopens, inbound: s.messages.inbound, days: s.days });
    expect(pick(second)).toEqual(pick(summary));
  });
});
