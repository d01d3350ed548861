import type { RouterErrorBody } from "./errors";
import type { Agent, Channel, ConversationDetail, InboxCounts, InboxPage, InboxQuery, Me, Presence, ReplyBody, ResolveBody, Team, Template, TransferBody } from "./router-types";

/** A refusal (or outage) of the router, with its literal code. */
export class RouterError extends Error {
  constructor(readonly status: number, readonly body: RouterErrorBody) {
    super(`${status} ${body.code}: ${body.message}`);
    this.name = "RouterError";
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

const unavailable = (cause: unknown) =>
  new RouterError(503, { code: "unavailable", message: `The router cannot be reached: ${String((cause as Error)?.message ?? cause)}` });

async function readError(res: Response): Promise<RouterErrorBody> {
  const body = await res.json().catch(() => null) as { error?: RouterErrorBody } | null;
  return body?.error ?? { code: res.status >= 500 ? "internal" : "invalid_input", message: `HTTP ${res.status}` };
}

const queryString = (query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
};

/**
 * The router's /v1 API as typed calls. One client per request: it carries the signed-in agent's token,
 * which never leaves the web server.
 */
export function routerClient(baseUrl: string, token?: string) {
  async function send(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await fetch(`${baseUrl}/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw unavailable(error);
    }
  }
  async function call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const res = await send(method, path, body);
    if (!res.ok) throw new RouterError(res.status, await readError(res));
    return (await res.json()) as T;
  }
  const command = (id: string, action: string, body?: unknown) =>
    call<ConversationDetail>("POST", `/conversations/${encodeURIComponent(id)}/${action}`, body);

  return {
    login: (email: string, password: string) =>
      call<{ token: string; expiresAt: string; agent: Me }>("POST", "/auth/login", { email, password }),
    logout: () => call<{ ok: true }>("POST", "/auth/logout"),
    me: () => call<Me>("GET", "/me"),
    inbox: (query: InboxQuery) => call<InboxPage>("GET", `/conversations${queryString(query)}`),
    counts: () => call<InboxCounts>("GET", "/conversations/counts"),
    conversation: (id: string) => call<ConversationDetail>("GET", `/conversations/${encodeURIComponent(id)}`),
    claim: (id: string) => command(id, "claim"),
    assign: (id: string, agentId: string) => command(id, "assign", { agentId }),
    transfer: (id: string, body: TransferBody) => command(id, "transfer", body),
    release: (id: string) => command(id, "release"),
    reply: (id: string, body: ReplyBody) => command(id, "messages", body),
    note: (id: string, text: string) => command(id, "notes", { text }),
    setStatus: (id: string, status: "open" | "pending") => command(id, "status", { status }),
    resolve: (id: string, body: ResolveBody) => command(id, "resolve", body),
    reopen: (id: string) => command(id, "reopen"),
    addTag: (id: string, tag: string) => command(id, "tags", { tag }),
    removeTag: (id: string, tag: string) =>
      call<ConversationDetail>("DELETE", `/conversations/${encodeURIComponent(id)}/tags/${encodeURIComponent(tag)}`),
    setPresence: (agentId: string, presence: Presence) => call<Me>("PUT", `/agents/${encodeURIComponent(agentId)}/presence`, { presence }),
    heartbeat: (idleSeconds: number) => call<Record<string, unknown>>("POST", "/agents/me/heartbeat", { idleSeconds }),
    agents: () => call<{ items: Agent[] }>("GET", "/agents?active=true").then((r) => r.items),
    teams: () => call<{ items: Team[] }>("GET", "/teams").then((r) => r.items),
    channels: () => call<{ items: Channel[] }>("GET", "/channels").then((r) => r.items),
    templates: () => call<{ items: Template[] }>("GET", "/templates").then((r) => r.items),
    /** The live event stream, as the raw response: the caller pipes it to the browser. */
    async stream(signal: AbortSignal): Promise<Response> {
      const res = await send("GET", "/stream", undefined, signal);
      if (!res.ok) throw new RouterError(res.status, await readError(res));
      return res;
    },
  };
}

export type RouterClient = ReturnType<typeof routerClient>;
