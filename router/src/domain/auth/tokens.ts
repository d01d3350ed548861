import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { agents, authTokens, teamMembers, teams } from "../../db/schema/index.js";
import type { Db } from "../../db/index.js";
import type { Clock } from "../../clock.js";
import type { Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { decoyHash, verifyPassword } from "./passwords.js";

const SESSION_TTL_MS = 12 * 3600 * 1000;
const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** Tokens are 256 random bits; the prefix says which kind a leaked one is (secret scanners key on it). */
function newToken(kind: "session" | "api"): string {
  return `${kind === "session" ? "cs" : "ck"}_${randomBytes(32).toString("base64url")}`;
}

async function issueToken(db: Db, clock: Clock, agent: { id: string; tenantId: string }, kind: "session" | "api", name: string | null) {
  const token = newToken(kind);
  const now = clock.now();
  const expiresAt = kind === "session" ? new Date(now.getTime() + SESSION_TTL_MS) : null;
  const id = uuidv7();
  await db.insert(authTokens).values({ id, tenantId: agent.tenantId, agentId: agent.id, kind, name, tokenHash: sha256(token), createdAt: now, expiresAt });
  return { id, token, expiresAt };
}

export async function login(deps: { db: Db; clock: Clock }, email: string, password: string) {
  const [agent] = await deps.db.select().from(agents).where(eq(agents.email, email.trim().toLowerCase()));
  const ok = await verifyPassword(password, agent?.passwordHash ?? (await decoyHash));
  if (!agent || !ok || !agent.active) throw new DomainError("invalid_credentials", "Email or password is incorrect");
  const session = await issueToken(deps.db, deps.clock, agent, "session", null);
  return { ...session, agent };
}

export async function createApiToken(deps: { db: Db; clock: Clock }, actor: Actor, name: string) {
  return issueToken(deps.db, deps.clock, { id: actor.agentId, tenantId: actor.tenantId }, "api", name);
}

export async function revokeToken(db: Db, clock: Clock, actor: Actor, tokenId: string): Promise<void> {
  const rows = await db.update(authTokens).set({ revokedAt: clock.now() })
    .where(and(eq(authTokens.id, tokenId), eq(authTokens.agentId, actor.agentId), isNull(authTokens.revokedAt))).returning({ id: authTokens.id });
  if (rows.length === 0) throw new DomainError("not_found", "Token not found");
}

export async function logout(db: Db, clock: Clock, token: string): Promise<void> {
  await db.update(authTokens).set({ revokedAt: clock.now() }).where(eq(authTokens.tokenHash, sha256(token)));
}

/** Resolves a bearer token to the acting agent with the teams that scope what it may see. */
export async function authenticate(deps: { db: Db; clock: Clock }, token: string): Promise<Actor> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select({ agent: agents, tokenId: authTokens.id })
    .from(authTokens)
    .innerJoin(agents, eq(agents.id, authTokens.agentId))
    .where(and(eq(authTokens.tokenHash, sha256(token)), isNull(authTokens.revokedAt), or(isNull(authTokens.expiresAt), gt(authTokens.expiresAt, now))));
  if (!row || !row.agent.active) throw new DomainError("unauthenticated", "Sign in again: the session is missing, expired or revoked");
  const memberships = await deps.db
    .select({ teamId: teams.id, seeAll: teams.agentsSeeAll })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(teamMembers.agentId, row.agent.id));
  return {
    tenantId: row.agent.tenantId,
    agentId: row.agent.id,
    name: row.agent.name,
    role: row.agent.role,
    teamIds: memberships.map((m) => m.teamId),
    seeAllTeamIds: memberships.filter((m) => m.seeAll).map((m) => m.teamId),
  };
}
