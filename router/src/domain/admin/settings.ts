import { and, asc, eq } from "drizzle-orm";
import { seal } from "../../channels/whatsapp/secret-box.js";
import { channels, tenants } from "../../db/schema/index.js";
import { inTransaction, type Db } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { createChannel } from "./workspace.js";
import { requireFreePhoneNumberId, requireTeam } from "./lookup.js";

type Channel = typeof channels.$inferSelect;
type Credentials = { accessToken?: string; graphApiBaseUrl?: string; graphApiVersion?: string; sendRatePerSecond?: number };
export type NewChannel = { name: string; phoneNumberId: string; displayPhone: string } & Credentials;
export type ChannelPatch = { name?: string } & Credentials;
type SealingDeps = { db: Db; secretKey: string };

/** What the API shows of a channel: whether it has a token, never the token. */
export function channelView({ accessTokenSealed, ...channel }: Channel) {
  return { ...channel, hasAccessToken: accessTokenSealed !== null };
}

function sealCredentials({ accessToken, ...rest }: Credentials, secretKey: string) {
  return { ...rest, ...(accessToken ? { accessTokenSealed: seal(accessToken, secretKey) } : {}) };
}
export type WorkspaceSettings = typeof tenants.$inferSelect;
export type SettingsPatch = { name?: string; reopenWindowSeconds?: number; firstResponseTargetSeconds?: number; defaultTeamId?: string | null };

/** The workspace's WhatsApp numbers; every signed-in role sees which number a chat came in on. */
export async function listChannels(db: Db, actor: Actor) {
  const rows = await db.select().from(channels).where(eq(channels.tenantId, actor.tenantId)).orderBy(asc(channels.name), asc(channels.id));
  return rows.map(channelView);
}

export async function addChannel(deps: SealingDeps, actor: Actor, input: NewChannel) {
  requireRole(actor, "admin");
  return inTransaction(deps.db, async (tx) => {
    await requireFreePhoneNumberId(tx, input.phoneNumberId);
    const { name, phoneNumberId, displayPhone, ...credentials } = input;
    const channel = await createChannel(tx, actor.tenantId, { name, phoneNumberId, displayPhone });
    const changes = sealCredentials(credentials, deps.secretKey);
    if (Object.keys(changes).length === 0) return channelView(channel);
    const [sealed] = await tx.update(channels).set(changes).where(eq(channels.id, channel.id)).returning();
    return channelView(sealed!);
  });
}

/** Rotating a token replaces it; leaving it out keeps the stored one. */
export async function updateChannel(deps: SealingDeps, actor: Actor, channelId: string, patch: ChannelPatch) {
  requireRole(actor, "admin");
  const [row] = await deps.db.update(channels).set(sealCredentials(patch, deps.secretKey))
    .where(and(eq(channels.tenantId, actor.tenantId), eq(channels.id, channelId))).returning();
  if (!row) throw new DomainError("not_found", "Channel not found");
  return channelView(row);
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
