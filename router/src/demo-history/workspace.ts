import { and, asc, eq } from "drizzle-orm";
import { agents, channels, routingRules, teamMembers, teams, templates, tenants } from "../db/schema/index.js";
import type { Db } from "../db/index.js";
import type { Actor } from "../domain/actor.js";
import { createApiToken } from "../domain/auth/tokens.js";
import type { HistoryApi } from "./client.js";

export type Person = { id: string; name: string; email: string; role: "agent" | "supervisor" | "admin"; capacity: number; presence: string; token: string; tokenId: string };
export type TeamInfo = { id: string; name: string; department: string | null; isSales: boolean; timeZone: string; memberIds: string[] };
export type Territory = { prefix: string; territory: string | null; teamId: string };
export type Workspace = {
  tenantId: string; phoneNumberId: string; timeZone: string; defaultTeamId: string | null;
  teams: TeamInfo[]; agents: Person[]; supervisors: Person[]; admin: Person;
  territories: Territory[]; menuChoices: string[]; keywords: Array<{ pattern: string; teamId: string }>;
  template: { name: string; language: string } | null;
};

const FOLLOW_UP_TEMPLATE = { name: "seguimiento_demo", language: "es_MX", category: "utility", status: "approved",
  body: "Hola, te escribimos de nuevo sobre tu solicitud. ¿Podemos ayudarte con algo más?" };

async function teamsOf(db: Db, tenantId: string): Promise<TeamInfo[]> {
  const rows = await db.select().from(teams).where(eq(teams.tenantId, tenantId)).orderBy(asc(teams.createdAt));
  const members = await db.select().from(teamMembers).where(and(eq(teamMembers.tenantId, tenantId), eq(teamMembers.autoAssign, true)));
  return rows.map((t) => ({
    id: t.id, name: t.name, department: t.department, isSales: t.isSales, timeZone: t.timeZone,
    memberIds: members.filter((m) => m.teamId === t.id).map((m) => m.agentId),
  }));
}

/** Each person signs in once through the API (or, without a password, gets a token minted) and works with an API token. */
async function signIn(db: Db, api: HistoryApi, tenantId: string, password: string | undefined) {
  const rows = await db.select().from(agents).where(and(eq(agents.tenantId, tenantId), eq(agents.active, true))).orderBy(asc(agents.createdAt));
  const people: Person[] = [];
  for (const a of rows) {
    let token: string;
    let tokenId: string;
    if (password) {
      const session = await api.login(a.email, password);
      const created = await api.call("POST", "/v1/api-tokens", session, { name: "Historial de demostración" });
      await api.call("POST", "/v1/auth/logout", session);
      ({ token, id: tokenId } = created.body as { token: string; id: string });
    } else {
      const actor = { tenantId, agentId: a.id } as Actor;
      ({ token, id: tokenId } = await createApiToken({ db, clock: api.clock }, actor, "Historial de demostración"));
    }
    people.push({ id: a.id, name: a.name, email: a.email, role: a.role, capacity: a.capacity, presence: a.presence, token, tokenId });
  }
  return people;
}

/** A follow-up template for messages outside the 24-hour window: the workspace's first approved one, else a demo one. */
async function followUpTemplate(db: Db, api: HistoryApi, tenantId: string, admin: Person) {
  const [approved] = await db.select().from(templates)
    .where(and(eq(templates.tenantId, tenantId), eq(templates.status, "approved"))).orderBy(asc(templates.name));
  if (approved && !approved.body.includes("{{")) return { name: approved.name, language: approved.language };
  const created = await api.call("POST", "/v1/templates", admin.token, FOLLOW_UP_TEMPLATE);
  return created.status === 201 ? { name: FOLLOW_UP_TEMPLATE.name, language: FOLLOW_UP_TEMPLATE.language } : null;
}

/**
 * What the generator needs to know, read from the workspace itself: its WhatsApp number, teams and their
 * members, agents, supervisors, an admin, and the routing rules (territory prefixes, menu ids, keywords).
 */
export async function discoverWorkspace(db: Db, api: HistoryApi, tenantId: string, password?: string): Promise<Workspace> {
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`demo history: no workspace ${tenantId}`);
  const [channel] = await db.select().from(channels).where(eq(channels.tenantId, tenantId)).orderBy(asc(channels.createdAt)).limit(1);
  if (!channel) throw new Error("demo history: the workspace has no WhatsApp number");
  const people = await signIn(db, api, tenantId, password);
  const admin = people.find((p) => p.role === "admin");
  const workers = people.filter((p) => p.role === "agent");
  if (!admin || workers.length === 0) throw new Error("demo history: the workspace needs an admin and at least one agent");
  const teamList = await teamsOf(db, tenantId);
  const rules = await db.select().from(routingRules).where(eq(routingRules.tenantId, tenantId));
  const defaultTeam = teamList.find((t) => t.id === tenant.defaultTeamId) ?? teamList[0];
  return {
    tenantId, phoneNumberId: channel.phoneNumberId, timeZone: defaultTeam?.timeZone ?? "America/Mexico_City", defaultTeamId: defaultTeam?.id ?? null,
    teams: teamList, agents: workers, supervisors: people.filter((p) => p.role === "supervisor"), admin,
    territories: rules.filter((r) => r.kind === "phone_prefix").map((r) => ({ prefix: r.pattern, territory: r.territory, teamId: r.teamId })),
    menuChoices: rules.filter((r) => r.kind === "menu").map((r) => r.pattern),
    keywords: rules.filter((r) => r.kind === "keyword").map((r) => ({ pattern: r.pattern, teamId: r.teamId })),
    template: await followUpTemplate(db, api, tenantId, admin),
  };
}

/** The generator's tokens are revoked when it is done: they were only ever for the simulated past. */
export async function signOut(api: HistoryApi, ws: Workspace) {
  for (const p of [...ws.agents, ...ws.supervisors, ws.admin]) await api.call("DELETE", `/v1/api-tokens/${p.tokenId}`, p.token);
}
