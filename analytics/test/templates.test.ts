import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const h = new History();
// Monday: Ana answers in text, then (the window closed) with a template; an automation sends a template reminder.
h.conversation().open(at("2026-03-02T09:00:00")).assign(at("2026-03-02T09:01:00"), ana).agent(at("2026-03-02T09:02:00"))
  .sent(at("2026-03-02T18:00:00"), "agent", ana, "seguimiento").sent(at("2026-03-02T19:00:00"), "template", null, "recordatorio");
// Tuesday: Carlos sends one template; a bot sends plain text (not a template).
h.conversation().open(at("2026-03-03T10:00:00")).assign(at("2026-03-03T10:01:00"), carlos).sent(at("2026-03-03T10:05:00"), "agent", carlos, "cotizacion")
  .sent(at("2026-03-03T10:06:00"), "bot");
await loadEvents(clickhouse.client, h.events);

const week: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00:00"), to: at("2026-03-04T00:00:00"), timeZone: "America/Mexico_City", bucket: "day" };
const series = async (id: string, q: MetricQuery = week) => Object.fromEntries((await runMetric(clickhouse.client, id, q)).rows.map((r) => [r.bucket, r.value]));

describe("template messages", () => {
  it("count whoever sent them, per day in the zone; an agent's template is also an agent message", async () => {
    expect(await series("templates_sent")).toEqual({ "2026-03-02 00:00": 2, "2026-03-03 00:00": 1 });
    expect(await series("messages_outbound_agent")).toEqual({ "2026-03-02 00:00": 2, "2026-03-03 00:00": 1 });
    expect(await series("templates_sent", { ...week, filters: { agentId: carlos } })).toEqual({ "2026-03-03 00:00": 1 });
  });
});
