import { describe, expect, it } from "vitest";
import type { ConversationFact } from "@centralita/analytics";
import { conversationsBehind, drillable } from "./drill";

const fact = (id: string, extra: Partial<ConversationFact>): ConversationFact => ({
  conversationId: id, cycle: 1, openedAt: "2026-03-02 09:00:00", resolvedAt: null, teamId: null, channelId: null, agentIds: [], resolvedByAgentId: null,
  territory: null, firstResponseSeconds: null, resolutionSeconds: null, transfers: 0, outcome: null, dealValue: null, currency: null, lossReason: null,
  csat: null, tags: [], ...extra,
});

describe("conversations behind a number", () => {
  const facts = [
    fact("a", { outcome: "won", firstResponseSeconds: 120 }), fact("b", { outcome: "lost", firstResponseSeconds: 900, transfers: 2 }),
    fact("c", { outcome: "won", firstResponseSeconds: 400, cycle: 2 }), fact("d", {}),
  ];
  it("keeps the ones the metric counts, newest first", () => {
    expect(conversationsBehind(facts, "conversions", 300, 10).map((f) => f.conversationId)).toEqual(["c", "a"]);
    expect(conversationsBehind(facts, "sla_breaches", 300, 10).map((f) => f.conversationId)).toEqual(["c", "b"]);
    expect(conversationsBehind(facts, "multi_transfer_conversations", 300, 10).map((f) => f.conversationId)).toEqual(["b"]);
    expect(conversationsBehind(facts, null, 300, 2).map((f) => f.conversationId)).toEqual(["d", "c"]);
  });
  it("says which metrics have a list behind them", () => {
    expect([drillable("conversions"), drillable("occupancy")]).toEqual([true, false]);
  });
});
