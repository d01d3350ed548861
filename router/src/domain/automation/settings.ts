import { eq, sql } from "drizzle-orm";
import { automationSettings, teamAutomation, type EscalationStep } from "../../db/schema/index.js";
import type { Db, Tx } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { requireTeam } from "../admin/lookup.js";

type DbOrTx = Db | Tx;

/** Without configuration: nobody answered in 10 minutes → the next available agent (or a supervisor). */
export const DEFAULT_ESCALATION_STEPS: EscalationStep[] = [{ afterSeconds: 600, action: "reassign" }];
/** The same default as SQL, for job queries that resolve a team's ladder in the database. */
export const DEFAULT_STEPS_SQL = sql.raw(`'${JSON.stringify(DEFAULT_ESCALATION_STEPS)}'::jsonb`);

export type WorkspaceAutomation = Omit<typeof automationSettings.$inferSelect, "updatedAt" | "escalationSteps"> & { escalationSteps: EscalationStep[] };
export type TeamAutomationView = { teamId: string; csatEnabled: boolean | null; escalationSteps: EscalationStep[] | null };
export type WorkspacePatch = Partial<Omit<WorkspaceAutomation, "tenantId">>;
export type TeamPatch = Partial<Omit<TeamAutomationView, "teamId">>;

const defaults = (tenantId: string): WorkspaceAutomation => ({
  tenantId, csatEnabled: false, pendingExpirySeconds: 24 * 3600, idleTimeoutSeconds: 600,
  disconnectTimeoutSeconds: 90, reassignGraceSeconds: 120, escalationSteps: DEFAULT_ESCALATION_STEPS,
});

export async function workspaceAutomation(db: DbOrTx, tenantId: string): Promise<WorkspaceAutomation> {
  const [row] = await db.select().from(automationSettings).where(eq(automationSettings.tenantId, tenantId));
  if (!row) return defaults(tenantId);
  const { updatedAt: _u, ...rest } = row;
  return { ...rest, escalationSteps: row.escalationSteps ?? DEFAULT_ESCALATION_STEPS };
}

export async function teamAutomationOf(db: DbOrTx, teamId: string): Promise<TeamAutomationView> {
  const [row] = await db.select().from(teamAutomation).where(eq(teamAutomation.teamId, teamId));
  return { teamId, csatEnabled: row?.csatEnabled ?? null, escalationSteps: row?.escalationSteps ?? null };
}

/** What applies to a conversation of this team: the team's override, else the workspace's setting. */
export async function effectiveAutomation(db: DbOrTx, tenantId: string, teamId: string | null) {
  const workspace = await workspaceAutomation(db, tenantId);
  const team = teamId ? await teamAutomationOf(db, teamId) : null;
  return {
    ...workspace,
    csatEnabled: team?.csatEnabled ?? workspace.csatEnabled,
    escalationSteps: team?.escalationSteps ?? workspace.escalationSteps,
  };
}

export async function getWorkspaceAutomation(db: Db, actor: Actor) {
  requireRole(actor, "admin");
  return workspaceAutomation(db, actor.tenantId);
}

export async function updateWorkspaceAutomation(db: Db, actor: Actor, patch: WorkspacePatch) {
  requireRole(actor, "admin");
  const values = { ...patch, updatedAt: sql`now()` };
  await db.insert(automationSettings).values({ tenantId: actor.tenantId, ...values })
    .onConflictDoUpdate({ target: automationSettings.tenantId, set: values });
  return workspaceAutomation(db, actor.tenantId);
}

export async function getTeamAutomation(db: Db, actor: Actor, teamId: string) {
  requireRole(actor, "admin");
  await requireTeam(db, actor.tenantId, teamId);
  return teamAutomationOf(db, teamId);
}

export async function updateTeamAutomation(db: Db, actor: Actor, teamId: string, patch: TeamPatch) {
  requireRole(actor, "admin");
  await requireTeam(db, actor.tenantId, teamId);
  const values = { ...patch, updatedAt: sql`now()` };
  await db.insert(teamAutomation).values({ teamId, tenantId: actor.tenantId, ...values })
    .onConflictDoUpdate({ target: teamAutomation.teamId, set: values });
  return teamAutomationOf(db, teamId);
}
