import { describe, expect, it } from "vitest";
import { buildEvent } from "@centralita/router/events";
import { runPipeline } from "./steps.js";

const tenantId = "019a0000-0000-7000-8000-000000000001";
const conversationId = "019a0000-0000-7000-8000-000000000002";
const agentId = "019a0000-0000-7000-8000-000000000003";
const NIL = "00000000-0000-0000-0000-000000000000";

const assigned = buildEvent("conversation.assigned", { tenantId, conversationId, agentId }, {
  cycle: 2, assignee_type: "agent", to_agent_id: agentId, to_team_id: null, previous_agent_id: null, method: "claim", strategy: null,
}, new Date("2026-03-02T15:04:05.678Z"));

describe("the ingest pipeline steps", () => {
  it("turns a valid envelope into one events row, absent ids as the nil UUID and the payload as JSON", () => {
    const { rows, deadLetters } = runPipeline([{ key: conversationId, value: JSON.stringify(assigned) }]);
    expect(deadLetters).toEqual([]);
    expect(rows).toEqual([{
      tenant_id: tenantId, type: "conversation.assigned", occurred_at: "2026-03-02T15:04:05.678Z", id: assigned.id, version: 1,
      conversation_id: conversationId, channel_id: NIL, contact_id: NIL, agent_id: agentId, team_id: NIL,
      payload: JSON.stringify(assigned.payload),
    }]);
  });

  it("dead-letters what is not JSON at the decode step, and keeps the good messages around it", () => {
    const { rows, deadLetters } = runPipeline([
      { key: "a", value: JSON.stringify(assigned) },
      { key: "b", value: "{not json", partition: 3, offset: "41" },
    ]);
    expect(rows).toHaveLength(1);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]).toMatchObject({ step: "decode", eventId: "", message: { partition: 3, offset: "41" } });
    expect(deadLetters[0]!.reason).toMatch(/not JSON/);
  });

  it("dead-letters contract violations at the validate step, traced to the event id and workspace", () => {
    const wrongPayload = { ...assigned, payload: { ...assigned.payload, method: "telepathy" } };
    const futureVersion = { ...assigned, id: "019a0000-0000-7000-8000-0000000000f2", version: 2 };
    const { rows, deadLetters } = runPipeline([
      { key: "a", value: JSON.stringify(wrongPayload) },
      { key: "a", value: JSON.stringify(futureVersion) },
    ]);
    expect(rows).toEqual([]);
    expect(deadLetters.map((d) => [d.step, d.eventId, d.tenantId])).toEqual([
      ["validate", assigned.id, tenantId],
      ["validate", futureVersion.id, tenantId],
    ]);
    expect(deadLetters[0]!.reason).toMatch(/method/);
    expect(deadLetters[1]!.reason).toMatch(/unsupported version 2/);
  });
});
