import type { RouterErrorBody } from "./errors";
import type { Agent, Channel, ConversationDetail, InboxCounts, InboxPage, InboxQuery, Me, Presence, ReplyBody, ResolveBody, Team, Template, TransferBody } from "./router-types";
import type {
  AdminAgent, AdminChannel, AdminTeam, AdminTemplate, AgentBody, ChannelBody, RoutingRule, RuleBody, TeamBody, TemplateBody,
  TeamAutomation, WorkspaceAutomation, WorkspaceBody, WorkspaceSettings,
} from "./router-types";

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
    /** Admin settings: the full records (supervisors may read agents, teams, rules, channels, templates). */
    admin: {
      agents: () => call<{ items: AdminAgent[] }>("GET", "/agents").then((r) => r.items),
      addAgent: (body: AgentBody) => call<AdminAgent>("POST", "/agents", body),
      updateAgent: (id: string, body: AgentBody) => call<AdminAgent>("PATCH", `/agents/${encodeURIComponent(id)}`, body),
      setPassword: (id: string, password: string) => call<{ ok: true }>("POST", `/agents/${encodeURIComponent(id)}/password`, { password }),
      teams: () => call<{ items: AdminTeam[] }>("GET", "/teams").then((r) => r.items),
      addTeam: (body: TeamBody & { name: string }) => call<AdminTeam>("POST", "/teams", body),
      updateTeam: (id: string, body: TeamBody) => call<AdminTeam>("PATCH", `/teams/${encodeURIComponent(id)}`, body),
      setMembers: (id: string, members: Array<{ agentId: string; autoAssign: boolean }>) =>
        call<AdminTeam>("PUT", `/teams/${encodeURIComponent(id)}/members`, { members }),
      rules: () => call<{ items: RoutingRule[] }>("GET", "/routing-rules").then((r) => r.items),
      addRule: (body: RuleBody) => call<RoutingRule>("POST", "/routing-rules", body),
      updateRule: (id: string, body: RuleBody) => call<RoutingRule>("PATCH", `/routing-rules/${encodeURIComponent(id)}`, body),
      deleteRule: (id: string) => call<{ ok: true }>("DELETE", `/routing-rules/${encodeURIComponent(id)}`),
      channels: () => call<{ items: AdminChannel[] }>("GET", "/channels").then((r) => r.items),
      addChannel: (body: ChannelBody) => call<AdminChannel>("POST", "/channels", body),
      updateChannel: (id: string, body: ChannelBody) => call<AdminChannel>("PATCH", `/channels/${encodeURIComponent(id)}`, body),
      templates: () => call<{ items: AdminTemplate[] }>("GET", "/templates").then((r) => r.items),
      addTemplate: (body: TemplateBody) => call<AdminTemplate>("POST", "/templates", body),
      updateTemplate: (id: string, body: TemplateBody) => call<AdminTemplate>("PATCH", `/templates/${encodeURIComponent(id)}`, body),
      deleteTemplate: (id: string) => call<{ ok: true }>("DELETE", `/templates/${encodeURIComponent(id)}`),
      workspace: () => call<WorkspaceSettings>("GET", "/workspace"),
      updateWorkspace: (body: WorkspaceBody) => call<WorkspaceSettings>("PATCH", "/workspace", body),
      automation: () => call<WorkspaceAutomation>("GET", "/workspace/automation"),
      updateAutomation: (body: Partial<WorkspaceAutomation>) => call<WorkspaceAutomation>("PATCH", "/workspace/automation", body),
      teamAutomation: (id: string) => call<TeamAutomation>("GET", `/teams/${encodeURIComponent(id)}/automation`),
      updateTeamAutomation: (id: string, body: Omit<TeamAutomation, "teamId">) =>
        call<TeamAutomation>("PATCH", `/teams/${encodeURIComponent(id)}/automation`, body),
    },
    /** The live event stream, as the raw response: the caller pipes it to the browser. */
    async stream(signal: AbortSignal): Promise<Response> {
      const res = await send("GET", "/stream", undefined, signal);
      if (!res.ok) throw new RouterError(res.status, await readError(res));
      return res;
    },
  };
}

export type RouterClient = ReturnType<typeof routerClient>;
