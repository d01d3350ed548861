import { describe, expect, it } from "vitest";
import { parseFrame, reframe, relayFrames } from "./sse";

const encoder = new TextEncoder();

describe("live stream reframing", () => {
  it("turns each router event into a plain message with its id, and keeps ready and heartbeats", () => {
    const data = JSON.stringify({ id: "e1", type: "conversation.assigned", conversation_id: "c1" });
    expect(reframe(parseFrame(`id: e1\nevent: conversation.assigned\ndata: ${data}`))).toBe(`id: e1\ndata: ${data}\n\n`);
    expect(reframe(parseFrame('event: ready\ndata: {"agent_id":"a"}\nretry: 2000'))).toBe("event: ready\nretry: 1000\ndata: {}\n\n");
    expect(reframe(parseFrame(": heartbeat"))).toBe(": heartbeat\n\n");
    expect(reframe(parseFrame(""))).toBeNull();
  });

  it("reassembles frames split across chunks", async () => {
    const input = "event: ready\ndata: {}\n\nid: e1\nevent: note.added\nda" + 'ta: {"id":"e1"}\n\n: heartbeat\n\nid: e2\ndata: {"id":"e2"}\n\n';
    const chunks = [input.slice(0, 7), input.slice(7, 40), input.slice(40)];
    const source = new ReadableStream<Uint8Array>({ start(c) { for (const chunk of chunks) c.enqueue(encoder.encode(chunk)); c.close(); } });
    const text = await new Response(relayFrames(source)).text();
    expect(text).toBe('event: ready\nretry: 1000\ndata: {}\n\nid: e1\ndata: {"id":"e1"}\n\n: heartbeat\n\nid: e2\ndata: {"id":"e2"}\n\n');
  });

  it("ends quietly when the router's stream breaks, so the browser just reconnects", async () => {
    let pulls = 0;
    const source = new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++ === 0) c.enqueue(encoder.encode('id: e1\ndata: {"id":"e1"}\n\n'));
        else c.error(new TypeError("terminated"));
      },
    });
    expect(await new Response(relayFrames(source)).text()).toBe('id: e1\ndata: {"id":"e1"}\n\n');
  });
});
