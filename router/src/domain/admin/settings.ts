import { asc, eq } from "drizzle-orm";
import { channels, tenants } from "../../db/schema/index.js";
import { inTransaction, type Db } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { createChannel } from "./workspace.js";
import { requireFreePhoneNumberId, requireTeam } from "./lookup.js";

type Channel = typeof channels.$inferSelect;
export type NewChannel = { name: string; phoneNumberId: string; displayPhone: string };
export type WorkspaceSettings = typeof tenants.$inferSelect;
export type SettingsPatch = { name?: string; reopenWindowSeconds?: number; firstResponseTargetSeconds?: number; defaultTeamId?: string | null };

/** The workspace's WhatsApp numbers; every signed-in role sees which number a chat came in on. */
export async function listChannels(db: Db, actor: Actor): Promise<Channel[]> {
  return db.select().from(channels).where(eq(channels.tenantId, actor.tenantId)).orderBy(asc(channels.name), asc(channels.id));
}

export async function addChannel(db: Db, actor: Actor, input: NewChannel): Promise<Channel> {
  requireRole(actor, "admin");
  return inTransaction(db, async (tx) => {
    await requireFreePhoneNumberId(tx, input.phoneNumberId);
    return createChannel(tx, actor.tenantId, input);
  });
}

export async function getSettings(db: Db, actor: Actor): Promise<WorkspaceSettings> {
  requireRole(actor, "admin");
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, actor.tenantId));
  if (!tenant) throw new DomainError("not_found", "Workspace not found");
  return tenant;
}

/** The default team catches conversations no routing rule matched; it must be one of the workspace's. */
export async function updateSettings(db: Db, actor: Actor, patch: SettingsPatch): Promise<WorkspaceSettings> {
  requireRole(actor, "admin");
  return inTransaction(db, async (tx) => {
    if (patch.defaultTeamId) await requireTeam(tx, actor.tenantId, patch.defaultTeamId);
    const [tenant] = Object.keys(patch).length === 0
      ? await tx.select().from(tenants).where(eq(tenants.id, actor.tenantId))
      : await tx.update(tenants).set(patch).where(eq(tenants.id, actor.tenantId)).returning();
    if (!tenant) throw new DomainError("not_found", "Workspace not found");
    return tenant;
  });
}
