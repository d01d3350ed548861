/** The answer of one Graph API send, classified for the dispatcher. */
export type SendOutcome =
  | { kind: "accepted"; waMessageId: string }
  | { kind: "retry"; code: number | null; message: string; retryAfterMs?: number }
  | { kind: "failed"; code: number | null; message: string };

export type GraphTarget = { baseUrl: string; version: string; phoneNumberId: string; accessToken: string };

// Throughput, spam-rate and transient platform errors are worth retrying; the rest will fail the same way again.
const RETRYABLE_CODES = new Set([4, 80007, 130429, 131000, 131016, 131056, 133004, 133005]);

function classifyError(status: number, body: unknown): SendOutcome {
  const error = (body as { error?: { code?: number; message?: string; error_data?: { details?: string } } })?.error;
  const code = typeof error?.code === "number" ? error.code : null;
  const message = [error?.message, error?.error_data?.details].filter(Boolean).join(": ") || `HTTP ${status}`;
  if (status === 429 || status >= 500 || (code !== null && RETRYABLE_CODES.has(code))) return { kind: "retry", code, message };
  return { kind: "failed", code, message };
}

/** POST /{version}/{phone-number-id}/messages with a timeout; network failures are retryable. */
export async function sendToGraph(target: GraphTarget, body: Record<string, unknown>, timeoutMs = 10_000): Promise<SendOutcome> {
  const url = `${target.baseUrl.replace(/\/$/, "")}/${target.version}/${encodeURIComponent(target.phoneNumberId)}/messages`;
  let res: globalThis.Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${target.accessToken}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { kind: "retry", code: null, message: `network: ${(error as Error).message}` };
  }
  const parsed: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const outcome = classifyError(res.status, parsed);
    const retryAfter = Number(res.headers.get("retry-after"));
    return outcome.kind === "retry" && retryAfter > 0 ? { ...outcome, retryAfterMs: retryAfter * 1000 } : outcome;
  }
  const id = (parsed as { messages?: Array<{ id?: string }> })?.messages?.[0]?.id;
  return id ? { kind: "accepted", waMessageId: id } : { kind: "retry", code: null, message: "Graph API answered without a message id" };
}
