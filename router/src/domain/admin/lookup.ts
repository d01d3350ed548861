import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { agents, channels, teams } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import { DomainError } from "../errors.js";

type DbOrTx = Db | Tx;

/**
 * Every id an admin names is looked up inside the actor's tenant: another workspace's row is reported as
 * not found, exactly like an id that never existed.
 */
export async function requireTeam(db: DbOrTx, tenantId: string, teamId: string, opts: { lock?: boolean } = {}) {
  const query = db.select().from(teams).where(and(eq(teams.tenantId, tenantId), eq(teams.id, teamId)));
  const [team] = opts.lock ? await query.for("no key update") : await query;
  if (!team) throw new DomainError("not_found", "Team not found", { teamId });
  return team;
}

export async function requireAgent(db: DbOrTx, tenantId: string, agentId: string, opts: { lock?: boolean } = {}) {
  const query = db.select().from(agents).where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
  const [agent] = opts.lock ? await query.for("no key update") : await query;
  if (!agent) throw new DomainError("not_found", "Agent not found", { agentId });
  return agent;
}

/** All of the ids must be teams of the tenant; the first missing one is named. */
export async function requireTeams(db: DbOrTx, tenantId: string, teamIds: string[]): Promise<void> {
  if (teamIds.length === 0) return;
  const found = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.tenantId, tenantId), inArray(teams.id, teamIds)));
  const known = new Set(found.map((t) => t.id));
  const missing = teamIds.find((id) => !known.has(id));
  if (missing) throw new DomainError("not_found", "Team not found", { teamId: missing });
}

export async function requireAgents(db: DbOrTx, tenantId: string, agentIds: string[]): Promise<void> {
  if (agentIds.length === 0) return;
  const found = await db.select({ id: agents.id }).from(agents).where(and(eq(agents.tenantId, tenantId), inArray(agents.id, agentIds)));
  const known = new Set(found.map((a) => a.id));
  const missing = agentIds.find((id) => !known.has(id));
  if (missing) throw new DomainError("not_found", "Agent not found", { agentId: missing });
}

/** Emails sign people in across all workspaces, so they are unique everywhere, ignoring case. */
export async function requireFreeEmail(db: DbOrTx, email: string, exceptAgentId?: string): Promise<void> {
  const sameEmail = sql`lower(${agents.email}) = ${email.trim().toLowerCase()}`;
  const [taken] = await db.select({ id: agents.id }).from(agents)
    .where(exceptAgentId ? and(sameEmail, ne(agents.id, exceptAgentId)) : sameEmail).limit(1);
  if (taken) throw new DomainError("conflict", "An agent with this email already exists", { field: "email" });
}

export async function requireFreeTeamName(db: DbOrTx, tenantId: string, name: string, exceptTeamId?: string): Promise<void> {
  const sameName = and(eq(teams.tenantId, tenantId), sql`lower(${teams.name}) = ${name.trim().toLowerCase()}`);
  const [taken] = await db.select({ id: teams.id }).from(teams)
    .where(exceptTeamId ? and(sameName, ne(teams.id, exceptTeamId)) : sameName).limit(1);
  if (taken) throw new DomainError("conflict", "A team with this name already exists", { field: "name" });
}

/** A WhatsApp phone number id routes webhooks to one workspace, so it can be registered only once. */
export async function requireFreePhoneNumberId(db: DbOrTx, phoneNumberId: string): Promise<void> {
  const [taken] = await db.select({ id: channels.id }).from(channels).where(eq(channels.phoneNumberId, phoneNumberId)).limit(1);
  if (taken) throw new DomainError("conflict", "This WhatsApp number is already connected", { field: "phoneNumberId" });
}

/** The same body shape as a schema failure, for checks that need the database or several fields. */
export function invalidInput(path: string, message: string): DomainError {
  return new DomainError("invalid_input", `${path}: ${message}`, { issues: [{ path, message }] });
}
