import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { agents, channels, routingRules, teamMembers, teams, tenants, type WeeklyHours } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import { hashPassword } from "../auth/passwords.js";

type DbOrTx = Db | Tx;

export type NewAgent = {
  email: string; name: string; password?: string | null; role?: "admin" | "supervisor" | "agent";
  capacity?: number; presence?: "online" | "away" | "offline"; skills?: string[]; timeZone?: string; locale?: string;
};
export type NewTeam = {
  name: string; department?: string | null; timeZone?: string; businessHours?: WeeklyHours | null; holidays?: string[];
  strategy?: "round_robin" | "least_loaded" | "manual"; sticky?: boolean; agentsSeeAll?: boolean; isSales?: boolean; awayMessage?: string | null;
  firstResponseTargetSeconds?: number | null;
};
export type NewRule = { kind: "keyword" | "menu" | "phone_prefix"; pattern: string; teamId: string; territory?: string | null; priority?: number };

/** A new workspace with its first admin: the only way a tenant comes to exist. */
export async function createWorkspace(db: DbOrTx, input: { name: string; slug: string; admin: NewAgent }) {
  const tenantId = uuidv7();
  await db.insert(tenants).values({ id: tenantId, name: input.name, slug: input.slug });
  const admin = await createAgent(db, tenantId, { ...input.admin, role: "admin" });
  return { tenantId, admin };
}

export async function createAgent(db: DbOrTx, tenantId: string, input: NewAgent) {
  const [agent] = await db.insert(agents).values({
    id: uuidv7(), tenantId, email: input.email.trim().toLowerCase(), name: input.name,
    passwordHash: input.password ? await hashPassword(input.password) : null, role: input.role ?? "agent",
    capacity: input.capacity ?? 5, presence: input.presence ?? "offline", skills: input.skills ?? [],
    timeZone: input.timeZone ?? "America/Mexico_City", locale: input.locale ?? "es-419",
  }).returning();
  return agent!;
}

export async function createTeam(db: DbOrTx, tenantId: string, input: NewTeam) {
  const [team] = await db.insert(teams).values({
    id: uuidv7(), tenantId, name: input.name, department: input.department ?? null, timeZone: input.timeZone ?? "America/Mexico_City",
    businessHours: input.businessHours ?? null, holidays: input.holidays ?? [], strategy: input.strategy ?? "round_robin",
    sticky: input.sticky ?? true, agentsSeeAll: input.agentsSeeAll ?? false, isSales: input.isSales ?? false, awayMessage: input.awayMessage ?? null,
    firstResponseTargetSeconds: input.firstResponseTargetSeconds ?? null,
  }).returning();
  return team!;
}

export type Membership = { agentId: string; autoAssign?: boolean };

/** Replaces a team's members; the list order is the round-robin rotation order. */
export async function setTeamMembers(db: DbOrTx, tenantId: string, teamId: string, members: Array<string | Membership>) {
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (members.length === 0) return;
  const rows = members.map((m, position) => {
    const { agentId, autoAssign = true } = typeof m === "string" ? { agentId: m } : m;
    return { tenantId, teamId, agentId, position, autoAssign };
  });
  await db.insert(teamMembers).values(rows);
}

export async function createRule(db: DbOrTx, tenantId: string, input: NewRule) {
  const [rule] = await db.insert(routingRules).values({
    id: uuidv7(), tenantId, kind: input.kind, pattern: input.pattern.trim(), teamId: input.teamId,
    territory: input.territory ?? null, priority: input.priority ?? 100,
  }).returning();
  return rule!;
}

export async function createChannel(db: DbOrTx, tenantId: string, input: { name: string; phoneNumberId: string; displayPhone: string }) {
  const [channel] = await db.insert(channels).values({ id: uuidv7(), tenantId, ...input }).returning();
  return channel!;
}

export async function setDefaultTeam(db: DbOrTx, tenantId: string, teamId: string | null) {
  await db.update(tenants).set({ defaultTeamId: teamId }).where(eq(tenants.id, tenantId));
}
