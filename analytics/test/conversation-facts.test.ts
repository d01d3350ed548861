import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { conversationFacts, conversationFactsSql, type ConversationFact, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const [ventas, soporte] = [randomUUID(), randomUUID()];
const whatsappSoporte = randomUUID();
const h = new History();

// 1. The seed's workflow: Ana → Carlos → Ana, tagged quoted, won 15,800 MXN, CSAT 5 (09:00–09:40 in Mexico City).
const seed = h.conversation({ teamId: ventas, territory: "Norte", isLead: true, channelId: h.channelId })
  .open(at("2026-03-02T15:00:00")).assign(at("2026-03-02T15:01:00"), ana).agent(at("2026-03-02T15:02:00")).tag(at("2026-03-02T15:04:00"), "quoted")
  .transfer(at("2026-03-02T15:16:00"), carlos).agent(at("2026-03-02T15:18:00"))
  .transfer(at("2026-03-02T15:30:00"), ana).agent(at("2026-03-02T15:35:00"))
  .resolve(at("2026-03-02T15:40:00"), { outcome: "won", value: 15800, currency: "MXN" }).csat(at("2026-03-02T15:41:00"), 5, at("2026-03-02T15:45:00"));
// 2. Support on the second number: María answers the first of two messages 5 min later, resolves; the customer
//    writes again at 11:00 (cycle 2), Carlos answers 10 min later and it stays open.
const support = h.conversation({ teamId: soporte, territory: "Centro", channelId: whatsappSoporte })
  .open(at("2026-03-02T16:00:00")).customer(at("2026-03-02T16:00:30")).assign(at("2026-03-02T16:03:00"), maria, "round_robin")
  .agent(at("2026-03-02T16:05:00")).resolve(at("2026-03-02T16:20:00"))
  .reopen(at("2026-03-02T17:00:00")).assign(at("2026-03-02T17:02:00"), carlos).agent(at("2026-03-02T17:10:00"));
// 3. Nobody answers: automation closes it as abandoned after 30 min.
const abandoned = h.conversation({ teamId: ventas, channelId: h.channelId }).open(at("2026-03-02T18:00:00")).resolve(at("2026-03-02T18:30:00"), { outcome: "abandoned", by: "automation" });
// 4. Ana loses a sale on price.
const lost = h.conversation({ teamId: ventas, territory: "Norte", channelId: h.channelId }).open(at("2026-03-02T19:00:00")).assign(at("2026-03-02T19:01:00"), ana)
  .agent(at("2026-03-02T19:03:00")).resolve(at("2026-03-02T19:30:00"), { outcome: "lost", lossReason: "precio" });
// 5. The day before, in Mexico City: not in the range.
h.conversation({ teamId: ventas }).open(at("2026-03-01T12:00:00")).assign(at("2026-03-01T12:01:00"), ana).agent(at("2026-03-01T12:02:00"));
await loadEvents(clickhouse.client, h.events);

// 2 March 2026 in Mexico City (UTC−6 all year): 06:00Z to 06:00Z the next day.
const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T06:00:00"), to: at("2026-03-03T06:00:00"), timeZone: "America/Mexico_City" };

const none = { resolvedAt: null, resolvedByAgentId: null, firstResponseSeconds: null, resolutionSeconds: null, outcome: null, dealValue: null, currency: null, lossReason: null, csat: null };
// By hand, from the history above, times in Mexico City.
const expected: Record<string, ConversationFact> = {
  seed: {
    ...none, conversationId: seed.id, cycle: 1, openedAt: "2026-03-02 09:00:00", resolvedAt: "2026-03-02 09:40:00", teamId: ventas, channelId: h.channelId,
    agentIds: [ana, carlos], resolvedByAgentId: ana, territory: "Norte", firstResponseSeconds: 120, resolutionSeconds: 40 * 60, transfers: 2,
    outcome: "won", dealValue: 15800, currency: "MXN", csat: 5, tags: ["quoted"],
  },
  support1: {
    ...none, conversationId: support.id, cycle: 1, openedAt: "2026-03-02 10:00:00", resolvedAt: "2026-03-02 10:20:00", teamId: soporte, channelId: whatsappSoporte,
    agentIds: [maria], resolvedByAgentId: maria, territory: "Centro", firstResponseSeconds: 300, resolutionSeconds: 20 * 60, transfers: 0, outcome: "resolved", tags: [],
  },
  support2: {
    ...none, conversationId: support.id, cycle: 2, openedAt: "2026-03-02 11:00:00", teamId: soporte, channelId: whatsappSoporte,
    agentIds: [carlos], territory: "Centro", firstResponseSeconds: 600, transfers: 0, tags: [],
  },
  abandoned: {
    ...none, conversationId: abandoned.id, cycle: 1, openedAt: "2026-03-02 12:00:00", resolvedAt: "2026-03-02 12:30:00", teamId: ventas, channelId: h.channelId,
    agentIds: [], territory: null, resolutionSeconds: 30 * 60, transfers: 0, outcome: "abandoned", tags: [],
  },
  lost: {
    ...none, conversationId: lost.id, cycle: 1, openedAt: "2026-03-02 13:00:00", resolvedAt: "2026-03-02 13:30:00", teamId: ventas, channelId: h.channelId,
    agentIds: [ana], resolvedByAgentId: ana, territory: "Norte", firstResponseSeconds: 180, resolutionSeconds: 30 * 60, transfers: 0,
    outcome: "lost", lossReason: "precio", tags: [],
  },
};
const rows = (...names: string[]) => names.map((n) => expected[n]);

describe("per-conversation export", () => {
  it("lists every cycle started in the range with its facts, in the query's zone, oldest first", async () => {
    expect(await conversationFacts(clickhouse.client, day)).toEqual(rows("seed", "support1", "support2", "abandoned", "lost"));
  });

  it("applies the same filters as the metrics", async () => {
    const withFilters = (filters: MetricQuery["filters"]) => conversationFacts(clickhouse.client, { ...day, filters });
    expect(await withFilters({ agentId: carlos })).toEqual(rows("seed", "support2"));
    expect(await withFilters({ teamId: soporte })).toEqual(rows("support1", "support2"));
    expect(await withFilters({ channelId: whatsappSoporte })).toEqual(rows("support1", "support2"));
    expect(await withFilters({ territory: "Norte" })).toEqual(rows("seed", "lost"));
    expect(await withFilters({ tag: "quoted" })).toEqual(rows("seed"));
    // A supervisor of Soporte only: the Ventas team filter falls outside the scope and matches nothing.
    expect(await withFilters({ teamIds: [soporte], teamId: ventas })).toEqual([]);
    expect(await withFilters({ teamIds: [ventas] })).toEqual(rows("seed", "abandoned", "lost"));
  });

  it("reads times in the zone asked for, and caps the rows", async () => {
    const utc = await conversationFacts(clickhouse.client, { ...day, timeZone: "UTC" }, 2);
    expect(utc.map((r) => [r.openedAt, r.resolvedAt])).toEqual([["2026-03-02 15:00:00", "2026-03-02 15:40:00"], ["2026-03-02 16:00:00", "2026-03-02 16:20:00"]]);
  });

  it("never inlines a value into the SQL", () => {
    for (const value of [h.tenantId, ana, "Norte", "America/Mexico_City"]) expect(conversationFactsSql).not.toContain(value);
  });
});
