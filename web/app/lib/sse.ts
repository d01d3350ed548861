/** One server-sent event frame: its field lines, or a comment (heartbeat). */
export type SseFrame = { event?: string; id?: string; data?: string; retry?: string; comment?: string };

/** Splits a complete frame (the text between blank lines) into its fields. */
export function parseFrame(text: string): SseFrame {
  const frame: SseFrame = {};
  const data: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim();
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, "");
    if (field === "data") data.push(value);
    else if (field === "event" || field === "id" || field === "retry") frame[field] = value;
  }
  if (data.length) frame.data = data.join("\n");
  return frame;
}

/**
 * What the browser receives: each router event as a plain `message` (its type is inside the data), so one
 * listener hears all of them; `ready` stays named, because it marks a (re)connection to catch up on.
 */
export function reframe(frame: SseFrame): string | null {
  if (frame.event === "ready") return `event: ready\nretry: 1000\ndata: {}\n\n`;
  if (frame.data !== undefined) return `${frame.id ? `id: ${frame.id}\n` : ""}data: ${frame.data}\n\n`;
  if (frame.comment !== undefined) return `: ${frame.comment}\n\n`;
  return null;
}

/** Splits text into complete frames, keeping an unfinished one for the next chunk. */
function frameSplitter() {
  const decoder = new TextDecoder();
  let buffer = "";
  return (chunk: Uint8Array): string[] => {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    const frames: string[] = [];
    for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
      frames.push(buffer.slice(0, cut));
      buffer = buffer.slice(cut + 2);
    }
    return frames;
  };
}

/**
 * The browser's stream from the router's: frames reframed as they arrive (a frame may span chunks). When
 * the router goes away the browser's stream just ends, and EventSource reconnects; when the browser goes
 * away the router's stream is cancelled.
 */
export function relayFrames(upstream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const split = frameSplitter();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const next = await reader.read().catch(() => ({ done: true as const, value: undefined }));
        if (next.done) return controller.close();
        const out = split(next.value).map((f) => reframe(parseFrame(f))).filter((f): f is string => f !== null).join("");
        if (out) return controller.enqueue(encoder.encode(out));
      }
    },
    cancel() {
      return reader.cancel().catch(() => undefined);
    },
  });
}
