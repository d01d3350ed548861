import { describe, expect, it } from "vitest";
import { buildEvent, eventKey, parseEvent } from "./index.js";

const tenant = "018f3c1e-0000-7000-8000-000000000001";
const conv = "018f3c1e-0000-7000-8000-000000000002";
const agent = "018f3c1e-0000-7000-8000-000000000003";

describe("the event contract", () => {
  it("builds envelopes that parse back, keyed by conversation (agent for presence)", () => {
    const e = buildEvent("note.added", { tenantId: tenant, conversationId: conv, agentId: agent }, { cycle: 1, note_id: agent, length: 12 }, new Date("2026-03-02T15:00:00.123Z"));
    expect(e).toMatchObject({ type: "note.added", version: 1, occurred_at: "2026-03-02T15:00:00.123Z", tenant_id: tenant, conversation_id: conv });
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(parseEvent(JSON.parse(JSON.stringify(e)))).toEqual({ ok: true, event: e });
    expect(eventKey(e)).toBe(conv);
    const p = buildEvent("agent.presence_changed", { tenantId: tenant, agentId: agent }, { from: "offline", to: "online", source: "manual" }, new Date());
    expect(eventKey(p)).toBe(agent);
  });

  it("refuses an invalid payload when building (a programming error)", () => {
    expect(() => buildEvent("csat.submitted", { tenantId: tenant, conversationId: conv }, { cycle: 1, score: 9, comment_length: 0 }, new Date())).toThrow();
  });

  it("rejects unknown types, versions, and bad payloads with a reason", () => {
    const good = buildEvent("message.received", { tenantId: tenant, conversationId: conv }, { cycle: 1, message_id: conv, wa_message_id: "wamid.1", kind: "text", length: 4 }, new Date());
    const cases = [
      { ...good, type: "message.deleted" },
      { ...good, version: 2 },
      { ...good, payload: { ...good.payload, kind: "hologram" } },
      { ...good, payload: { ...good.payload, length: -1 } },
      { ...good, tenant_id: "acme" },
      { ...good, occurred_at: "yesterday" },
    ];
    for (const c of cases) {
      const r = parseEvent(c);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
    }
  });
});
