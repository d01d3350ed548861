import { describe, expect, it } from "vitest";
import { REPORTS_SERVICE_TOKEN, startHarness } from "./support/harness.js";
import { login, loginAll, PASSWORD, seedCompany } from "./support/workspace.js";
import { inboundWebhook } from "./support/whatsapp.js";

/**
 * Invariant 4, route by route: every operation in /v1/openapi.json is called by every kind of caller, and
 * the outcome must match the table below. A route without a row fails the test, so none slips in unchecked.
 *
 * Callers: no token; the admin; Sofía (supervisor of Ventas and Soporte); Ana (Ventas agent, the subject
 * conversation is hers); Carlos (Ventas teammate who sees all of Ventas); Lucía (agent of Administración
 * only); an agent and an admin of another workspace. Ids in paths and bodies are always the first
 * workspace's.
 */
type Persona = "admin" | "supervisor" | "agent" | "teammate" | "outsider" | "otherAgent" | "otherAdmin";
type Caller = Persona | "none";
type Outcome = "ok" | "unauthenticated" | "forbidden" | "not_found" | "not_assignee";
type Request = { path: string; body?: unknown; token?: string };
type Row = { request: (as: Caller) => Promise<Request>; expect: Record<Persona, Outcome>; public?: boolean };

const personas: Persona[] = ["admin", "supervisor", "agent", "teammate", "outsider", "otherAgent", "otherAdmin"];
const everyone = (outcome: Outcome = "ok"): Record<Persona, Outcome> =>
  ({ admin: outcome, supervisor: outcome, agent: outcome, teammate: outcome, outsider: outcome, otherAgent: outcome, otherAdmin: outcome });
/** Admin-only writes; an admin of another workspace gets not_found when the request names this one's ids. */
const adminOnly = (otherAdmin: Outcome): Record<Persona, Outcome> => ({ ...everyone("forbidden"), admin: "ok", otherAdmin });
/** Readable by everyone signed in; another workspace's callers do not find this one's row. */
const readableInTenant: Record<Persona, Outcome> = { ...everyone("ok"), otherAgent: "not_found", otherAdmin: "not_found" };
/** A command on Ana's conversation: hers, her supervisors', the admin's; a teammate is told whose it is. */
const ownerCommand: Record<Persona, Outcome> = {
  admin: "ok", supervisor: "ok", agent: "ok", teammate: "not_assignee", outsider: "not_found", otherAgent: "not_found", otherAdmin: "not_found",
};
/** Visible to the whole team (Ventas lets agents see all): anyone who can see the conversation. */
const teamVisible: Record<Persona, Outcome> = { ...ownerCommand, teammate: "ok" };
const supervisorCommand: Record<Persona, Outcome> = { ...ownerCommand, agent: "forbidden", teammate: "forbidden" };

describe("authorization matrix", async () => {
  const api = await startHarness();
  // Nobody online: new chats wait in Ventas' queue until a fixture assigns them.
  const co = await seedCompany(api.db, { presence: "offline", capacity: 1000, ventas: { agentsSeeAll: true } });
  const other = await seedCompany(api.db);
  const t = await loginAll(api, co);
  const o = await loginAll(api, other);
  const tokens: Record<Persona, string> = {
    admin: t.admin, supervisor: t.sofia, agent: t.ana, teammate: t.carlos, outsider: t.lucia, otherAgent: o.ana, otherAdmin: o.admin,
  };
  const emails: Record<Persona, string> = {
    admin: co.admin.email, supervisor: co.sofia.email, agent: co.ana.email, teammate: co.carlos.email, outsider: co.lucia.email,
    otherAgent: other.ana.email, otherAdmin: other.admin.email,
  };
  let seq = 0;
  const unique = () => `${Date.now().toString(36)}${++seq}`;

  async function ok(method: string, path: string, token: string, body?: unknown) {
    const res = await api.call(method, path, token, body);
    if (res.status >= 300) throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A new customer's conversation in Ventas: waiting, Ana's, or resolved by Ana. */
  async function conversation(state: "queue" | "ana" | "resolved" = "ana", tag?: string): Promise<string> {
    const from = `52199${String(++seq).padStart(7, "0")}`;
    expect((await api.webhook(inboundWebhook([{ from, text: "Hola" }], co.channel.phoneNumberId))).status).toBe(200);
    const [row] = await api.sql`SELECT c.id, c.team_id, c.assignee_id FROM conversations c JOIN contacts k ON k.id = c.contact_id WHERE k.phone = ${from}`;
    expect(row).toMatchObject({ team_id: co.ventas.id, assignee_id: null });
    const id = row!.id as string;
    if (state === "queue") return id;
    await ok("POST", `/v1/conversations/${id}/assign`, t.admin, { agentId: co.ana.id });
    if (tag) await ok("POST", `/v1/conversations/${id}/tags`, t.admin, { tag });
    if (state === "resolved") await ok("POST", `/v1/conversations/${id}/resolve`, t.admin, { outcome: "resolved" });
    return id;
  }
  const onConversation = (suffix: string, body?: unknown, state: "queue" | "ana" | "resolved" = "ana") =>
    async (): Promise<Request> => ({ path: `/conversations/${await conversation(state)}${suffix}`, body });
  const fixed = (path: string, body?: unknown) => async (): Promise<Request> => ({ path, body });
  const newTemplate = () => ok("POST", "/v1/templates", t.admin, { name: `matriz_${unique()}`, language: "es_MX", body: "Hola {{1}}" });
  const newRule = () => ok("POST", "/v1/routing-rules", t.admin, { kind: "keyword", pattern: `matriz ${unique()}`, teamId: co.soporte.id });

  /** Reports: a schedule of Ventas (Sofía supervises it), and one finished file made through the service endpoints. */
  const newSchedule = () => ok("POST", "/v1/reports/schedules", t.admin, {
    name: `Matriz ${unique()}`, frequency: "daily", timeZone: "America/Mexico_City", metricIds: ["conversations_opened"], teamIds: [co.ventas.id],
  });
  let reportFile: Promise<string> | null = null;
  const finishedReport = () => (reportFile ??= (async () => {
    const schedule = await newSchedule();
    const due = (await ok("GET", "/v1/reports/service/due", REPORTS_SERVICE_TOKEN)).items.find((d: { scheduleId: string }) => d.scheduleId === schedule.id);
    const claim = await ok("POST", "/v1/reports/service/claims", REPORTS_SERVICE_TOKEN, { scheduleId: schedule.id, periodKey: due.periodKey });
    await ok("PUT", `/v1/reports/service/runs/${claim.runId}`, REPORTS_SERVICE_TOKEN, {
      status: "done", claimToken: claim.claimToken, fileName: "informe.csv", contentType: "text/csv", contentBase64: Buffer.from("a,b\n1,2\n").toString("base64"),
    });
    return claim.runId as string;
  })());
  /** Admins and supervisors manage reports; agents are refused whatever the id; another workspace's admin finds nothing. */
  const reportManagers = (otherAdmin: Outcome): Record<Persona, Outcome> =>
    ({ ...everyone("forbidden"), admin: "ok", supervisor: "ok", otherAdmin });

  const matrix: Record<string, Row> = {
    "POST /auth/login": { public: true, request: fixed("/auth/login", { email: co.ana.email, password: PASSWORD }), expect: everyone() },
    "POST /auth/logout": {
      request: async (as) => ({ path: "/auth/logout", token: as === "none" ? undefined : await login(api, emails[as]) }), expect: everyone(),
    },
    "GET /me": { request: fixed("/me"), expect: everyone() },
    "POST /api-tokens": { request: fixed("/api-tokens", { name: "matriz" }), expect: everyone() },
    // Ana's own token: only she may revoke it.
    "DELETE /api-tokens/{id}": {
      request: async () => ({ path: `/api-tokens/${(await ok("POST", "/v1/api-tokens", t.ana, { name: "de Ana" })).id}` }),
      expect: { ...everyone("not_found"), agent: "ok" },
    },

    "GET /conversations": { request: fixed("/conversations"), expect: everyone() },
    "GET /conversations/counts": { request: fixed("/conversations/counts"), expect: everyone() },
    "GET /conversations/{id}": { request: onConversation(""), expect: teamVisible },
    "POST /conversations/{id}/claim": { request: onConversation("/claim", undefined, "queue"), expect: teamVisible },
    "POST /conversations/{id}/assign": { request: onConversation("/assign", { agentId: co.maria.id }), expect: supervisorCommand },
    "POST /conversations/{id}/transfer": { request: onConversation("/transfer", { toTeamId: co.soporte.id, note: "Pregunta por garantía" }), expect: ownerCommand },
    "POST /conversations/{id}/release": { request: onConversation("/release"), expect: ownerCommand },
    "POST /conversations/{id}/messages": { request: onConversation("/messages", { text: "Con gusto le ayudo" }), expect: ownerCommand },
    "POST /conversations/{id}/notes": { request: onConversation("/notes", { text: "Cliente frecuente" }), expect: teamVisible },
    "POST /conversations/{id}/status": { request: onConversation("/status", { status: "pending" }), expect: ownerCommand },
    "POST /conversations/{id}/resolve": { request: onConversation("/resolve", { outcome: "resolved" }), expect: ownerCommand },
    // A resolved chat has no assignee: whoever in the team sees it may reopen it.
    "POST /conversations/{id}/reopen": { request: onConversation("/reopen", undefined, "resolved"), expect: teamVisible },
    "POST /conversations/{id}/tags": { request: onConversation("/tags", { tag: "vip" }), expect: ownerCommand },
    "DELETE /conversations/{id}/tags/{tag}": { request: async () => ({ path: `/conversations/${await conversation("ana", "vip")}/tags/vip` }), expect: ownerCommand },

    // Ana's presence: herself, supervisors and admins of her workspace.
    "PUT /agents/{id}/presence": {
      request: fixed(`/agents/${co.ana.id}/presence`, { presence: "away" }),
      expect: { ...everyone("forbidden"), admin: "ok", supervisor: "ok", agent: "ok", otherAdmin: "not_found" },
    },
    "GET /agents": { request: fixed("/agents"), expect: everyone() },
    "GET /agents/{id}": { request: fixed(`/agents/${co.ana.id}`), expect: readableInTenant },
    "POST /agents": {
      request: async () => ({ path: "/agents", body: { email: `nuevo-${unique()}@muebles.mx`, name: "Nuevo", teamIds: [co.soporte.id] } }),
      expect: adminOnly("not_found"),
    },
    "PATCH /agents/{id}": { request: fixed(`/agents/${co.maria.id}`, { skills: ["muebles"] }), expect: adminOnly("not_found") },
    "POST /agents/{id}/password": { request: fixed(`/agents/${co.pedro.id}/password`, { password: "otra-clave-segura" }), expect: adminOnly("not_found") },

    "GET /teams": { request: fixed("/teams"), expect: everyone() },
    "POST /teams": { request: async () => ({ path: "/teams", body: { name: `Equipo ${unique()}` } }), expect: adminOnly("ok") },
    "PATCH /teams/{id}": { request: fixed(`/teams/${co.administracion.id}`, { awayMessage: "Volvemos pronto" }), expect: adminOnly("not_found") },
    "PUT /teams/{id}/members": { request: fixed(`/teams/${co.administracion.id}/members`, { members: [{ agentId: co.lucia.id }] }), expect: adminOnly("not_found") },

    "GET /routing-rules": { request: fixed("/routing-rules"), expect: { ...everyone("forbidden"), admin: "ok", supervisor: "ok", otherAdmin: "ok" } },
    "POST /routing-rules": {
      request: async () => ({ path: "/routing-rules", body: { kind: "keyword", pattern: `matriz ${unique()}`, teamId: co.soporte.id } }),
      expect: adminOnly("not_found"),
    },
    "PATCH /routing-rules/{id}": { request: async () => ({ path: `/routing-rules/${(await newRule()).id}`, body: { priority: 50 } }), expect: adminOnly("not_found") },
    "DELETE /routing-rules/{id}": { request: async () => ({ path: `/routing-rules/${(await newRule()).id}` }), expect: adminOnly("not_found") },

    "GET /templates": { request: fixed("/templates"), expect: everyone() },
    "POST /templates": {
      request: async () => ({ path: "/templates", body: { name: `matriz_${unique()}`, language: "es_MX", body: "Hola {{1}}" } }),
      expect: adminOnly("ok"),
    },
    "PATCH /templates/{id}": { request: async () => ({ path: `/templates/${(await newTemplate()).id}`, body: { status: "paused" } }), expect: adminOnly("not_found") },
    "DELETE /templates/{id}": { request: async () => ({ path: `/templates/${(await newTemplate()).id}` }), expect: adminOnly("not_found") },
    "GET /channels": { request: fixed("/channels"), expect: everyone() },
    "POST /channels": {
      request: async () => ({ path: "/channels", body: { name: "Otro número", phoneNumberId: `7${Date.now()}${++seq}`, displayPhone: "+52 81 5555 1111" } }),
      expect: adminOnly("ok"),
    },
    "PATCH /channels/{id}": { request: fixed(`/channels/${co.channel.id}`, { sendRatePerSecond: 60 }), expect: adminOnly("not_found") },
    "GET /workspace": { request: fixed("/workspace"), expect: adminOnly("ok") },
    "PATCH /workspace": { request: fixed("/workspace", { defaultTeamId: co.ventas.id }), expect: adminOnly("not_found") },

    // Alerts are scoped inside the list (own; supervisors their teams'); the heartbeat is always one's own.
    "GET /alerts": { request: fixed("/alerts"), expect: everyone() },
    "POST /agents/me/heartbeat": { request: fixed("/agents/me/heartbeat", { idleSeconds: 0 }), expect: everyone() },
    "GET /workspace/automation": { request: fixed("/workspace/automation"), expect: adminOnly("ok") },
    "PATCH /workspace/automation": { request: fixed("/workspace/automation", { csatEnabled: false }), expect: adminOnly("ok") },
    "GET /teams/{id}/automation": { request: fixed(`/teams/${co.administracion.id}/automation`), expect: adminOnly("not_found") },
    // maxSeconds=0: the stream says `ready` and closes, so the matrix can read the whole response.
    "GET /stream": { request: fixed("/stream?maxSeconds=0"), expect: everyone() },
    "PATCH /teams/{id}/automation": {
      request: fixed(`/teams/${co.administracion.id}/automation`, { escalationSteps: [{ afterSeconds: 900, action: "supervisor" }] }), expect: adminOnly("not_found"),
    },
    "GET /reports/schedules": { request: fixed("/reports/schedules"), expect: reportManagers("ok") },
    "POST /reports/schedules": {
      request: async () => ({ path: "/reports/schedules", body: { name: `Diario ${unique()}`, frequency: "weekly", timeZone: "America/Bogota", metricIds: ["csat_avg"] } }),
      expect: reportManagers("ok"),
    },
    "PATCH /reports/schedules/{id}": { request: async () => ({ path: `/reports/schedules/${(await newSchedule()).id}`, body: { active: false } }), expect: reportManagers("not_found") },
    "DELETE /reports/schedules/{id}": { request: async () => ({ path: `/reports/schedules/${(await newSchedule()).id}` }), expect: reportManagers("not_found") },
    "GET /reports/files": { request: fixed("/reports/files"), expect: reportManagers("ok") },
    "GET /reports/files/{id}": { request: async () => ({ path: `/reports/files/${await finishedReport()}` }), expect: reportManagers("not_found") },
    // The scheduler's endpoints open only with the service credential: every person's token is refused.
    "GET /reports/service/due": { request: fixed("/reports/service/due"), expect: everyone("forbidden") },
    "POST /reports/service/claims": {
      request: async () => ({ path: "/reports/service/claims", body: { scheduleId: (await newSchedule()).id, periodKey: "daily:2026-03-01" } }), expect: everyone("forbidden"),
    },
    "PUT /reports/service/runs/{id}": {
      request: async () => ({ path: `/reports/service/runs/${await finishedReport()}`, body: { status: "failed", claimToken: co.ana.id, error: "x" } }), expect: everyone("forbidden"),
    },
  };

  const spec = (await api.call("GET", "/v1/openapi.json")).body as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).filter((m) => ["get", "post", "put", "patch", "delete"].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

  function mismatch(outcome: Outcome, res: { status: number; body: any }): boolean {
    const code = res.body?.error?.code;
    switch (outcome) {
      case "ok": return res.status < 200 || res.status >= 300;
      case "unauthenticated": return res.status !== 401;
      case "forbidden": return res.status !== 403 || code !== "forbidden";
      case "not_found": return res.status !== 404 || code !== "not_found";
      case "not_assignee": return res.status !== 409 || code !== "not_assignee";
    }
  }

  it("has a row for every operation in the OpenAPI document, and none for operations that are gone", () => {
    expect(operations.length).toBeGreaterThan(30);
    expect(operations.filter((op) => !matrix[op]), "operations without an expectation").toEqual([]);
    expect(Object.keys(matrix).filter((op) => !operations.includes(op)), "rows for operations not in the API").toEqual([]);
    const undocumented = operations.filter((op) => {
      const [method, path] = op.split(" ") as [string, string];
      const security = (spec.paths[path]![method.toLowerCase()] as { security?: unknown[] }).security;
      return !matrix[op]?.public && !security?.length;
    });
    expect(undocumented, "operations that need a token but do not declare `security`").toEqual([]);
  });

  for (const op of operations) {
    it(op, async () => {
      const row = matrix[op];
      expect(row, `no expectation for ${op}: add a row to the matrix`).toBeDefined();
      const [method, specPath] = op.split(" ") as [string, string];
      const failures: string[] = [];
      const callers: Caller[] = ["none", ...personas];
      for (const as of callers) {
        const want: Outcome = as === "none" ? (row!.public ? "ok" : "unauthenticated") : row!.expect[as];
        const req = await row!.request(as);
        expect(req.path.includes("{"), `unfilled path ${req.path} for ${specPath}`).toBe(false);
        const token = req.token ?? (as === "none" ? undefined : tokens[as]);
        const res = await api.call(method, `/v1${req.path}`, token, req.body);
        if (mismatch(want, res)) failures.push(`${as}: wanted ${want}, got ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      expect(failures).toEqual([]);
    });
  }
});
