import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/http/app.js";
import { createLiveHub, type LiveHub } from "../src/live/hub.js";
import { startHarness } from "./support/harness.js";
import { loginAll, seedCompany } from "./support/workspace.js";
import { customerWrites } from "./support/conversations.js";
import { outboxEvents } from "./support/outbox.js";

type Received = { event: string; id?: string; data: Record<string, unknown> };

/** Reads a server-sent event stream frame by frame into a list the test inspects. */
function readFrames(body: ReadableStream<Uint8Array>) {
  const frames: Received[] = [];
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const done = (async () => {
    for (;;) {
      const { done: ended, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (ended) return;
      buffer += decoder.decode(value, { stream: true });
      for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
        const lines = buffer.slice(0, cut).split("\n");
        buffer = buffer.slice(cut + 2);
        const field = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
        const data = field("data");
        if (data !== undefined) frames.push({ event: field("event") ?? "message", id: field("id"), data: JSON.parse(data) });
      }
    }
  })();
  return { frames, done, close: () => reader.cancel() };
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the stream");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("GET /v1/stream: live events in the agent's scope", async () => {
  const api = await startHarness();
  // Offline: new chats wait in the queue, so the test decides who holds what.
  const co = await seedCompany(api.db, { presence: "offline", ventas: { agentsSeeAll: false } });
  const t = await loginAll(api, co);
  let subscribed = 0;
  const hub = createLiveHub();
  const countingHub: LiveHub = {
    publish: (events) => hub.publish(events),
    subscribe(tenantId, listener) {
      subscribed++;
      const unsubscribe = hub.subscribe(tenantId, listener);
      return () => { subscribed--; unsubscribe(); };
    },
  };
  const app = createApp({ ...api.deps, live: countingHub });
  const open = async (token: string) => {
    const res = await app.request("/v1/stream?maxSeconds=60", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    return readFrames(res.body!);
  };
  const streams = { admin: await open(t.admin), sofia: await open(t.sofia), ana: await open(t.ana), carlos: await open(t.carlos), lucia: await open(t.lucia) };
  afterAll(async () => { await Promise.all(Object.values(streams).map((s) => s.close())); });
  const post = async (path: string, token: string, body?: unknown) => {
    const res = await api.call("POST", path, token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  // X: a Ventas chat Ana claims and annotates. Y: a chat moved to Administración's queue (Lucía's team).
  const x = await customerWrites(api, co.channel.phoneNumberId, "5215511110001", "Hola, quiero cotización");
  await post(`/v1/conversations/${x.id}/claim`, t.ana);
  await post(`/v1/conversations/${x.id}/notes`, t.ana, { text: "Lead de Monterrey" });
  const y = await customerWrites(api, co.channel.phoneNumberId, "5215511110002", "Necesito mi factura");
  await post(`/v1/conversations/${y.id}/transfer`, t.admin, { toTeamId: co.administracion.id });
  const presence = await api.call("PUT", `/v1/agents/${co.ana.id}/presence`, t.ana, { presence: "away" });
  expect(presence.status).toBe(200);
  const events = await outboxEvents(api.sql, { tenantId: co.tenantId });
  // Published as the relay does: in batches, after commit.
  countingHub.publish(events.slice(0, 3));
  countingHub.publish(events.slice(3));
  await until(() => streams.admin.frames.filter((f) => f.event !== "ready").length === events.length);
  await new Promise((r) => setTimeout(r, 300));

  const seen = (who: keyof typeof streams) => streams[who].frames.filter((f) => f.event !== "ready");
  const conversationsSeen = (who: keyof typeof streams) => new Set(seen(who).map((f) => f.data.conversation_id).filter(Boolean));
  const presenceSeen = (who: keyof typeof streams) => seen(who).filter((f) => f.event === "agent.presence_changed").map((f) => f.data.agent_id);

  it("opens with a ready event and gives the admin every event of the workspace, in order", () => {
    expect(streams.ana.frames[0]).toMatchObject({ event: "ready", data: { agent_id: co.ana.id } });
    expect(seen("admin").map((f) => f.id)).toEqual(events.map((e) => e.id));
    expect(seen("admin").map((f) => f.event)).toEqual(events.map((e) => e.type));
  });

  it("gives agents their own conversations and their team's queue, nothing else", () => {
    expect(conversationsSeen("ana")).toEqual(new Set([x.id]));
    expect(conversationsSeen("lucia")).toEqual(new Set([y.id]));
    // Carlos is in Ventas, but Ventas does not let agents see chats others hold; Y left Ventas' queue.
    expect(conversationsSeen("carlos")).toEqual(new Set());
    expect(conversationsSeen("sofia")).toEqual(new Set([x.id]));
    expect(seen("ana").map((f) => f.event)).toEqual(expect.arrayContaining(["conversation.opened", "message.received", "conversation.assigned", "note.added"]));
  });

  it("shows presence to the agent and to people who share a team with him", () => {
    expect(presenceSeen("ana")).toEqual([co.ana.id]);
    expect(presenceSeen("carlos")).toEqual([co.ana.id]);
    expect(presenceSeen("sofia")).toEqual([co.ana.id]);
    expect(presenceSeen("lucia")).toEqual([]);
  });

  it("sends only ids, type and time: no payload, no personal data", () => {
    for (const frame of seen("admin")) {
      expect(Object.keys(frame.data).sort()).toEqual(["agent_id", "conversation_id", "id", "occurred_at", "team_id", "type"]);
    }
    const text = JSON.stringify(seen("admin"));
    expect(text).not.toContain("5215511110001");
    expect(text).not.toContain("Lead de Monterrey");
  });

  it("refuses a caller without a valid token", async () => {
    expect((await app.request("/v1/stream")).status).toBe(401);
    expect((await app.request("/v1/stream", { headers: { authorization: "Bearer cs_nope" } })).status).toBe(401);
  });

  it("closes after maxSeconds, and unsubscribes when the browser goes away", async () => {
    const probe = await app.request("/v1/stream?maxSeconds=0", { headers: { authorization: `Bearer ${t.ana}` } });
    expect(await probe.text()).toContain("event: ready");
    const before = subscribed;
    const extra = await open(t.carlos);
    await until(() => extra.frames.length > 0);
    expect(subscribed).toBe(before + 1);
    await extra.close();
    await until(() => subscribed === before);
  });
});
