import { eq } from "drizzle-orm";
import { teams } from "../../db/schema/index.js";
import type { Tx } from "../../db/index.js";
import type { Team } from "../../assignment/strategies.js";
import type { EventBatch } from "../../outbox/append.js";
import type { Conversation } from "../../assignment/assign.js";
import { isTeamOpen } from "../../assignment/business-hours.js";
import { isWindowOpen } from "../../channels/whatsapp/window.js";
import { lockCycleState, updateCycleState } from "./cycle-state.js";
import { queueAutomatedMessage } from "./automated-message.js";

/**
 * Outside its team's hours a waiting customer gets the team's away message, once per cycle. Called with the
 * conversation locked: from the inbound transaction right after the customer wrote, and by the hours job
 * (catch-up). The cycle row records the send, so the two paths and several instances send it once. The
 * inbound path passes the team row it already holds.
 */
export async function sendAwayMessageIfClosed(tx: Tx, events: EventBatch, conv: Conversation, now: Date, known?: Team): Promise<string | null> {
  if (!conv.teamId || conv.status !== "open") return null;
  const [team] = known?.id === conv.teamId ? [known] : await tx.select().from(teams).where(eq(teams.id, conv.teamId));
  if (!team?.awayMessage || isTeamOpen(team, now)) return null;
  if (!isWindowOpen(conv.lastInboundAt, now)) return null;
  const state = await lockCycleState(tx, conv);
  if (state.awaySentAt) return null;
  const id = await queueAutomatedMessage(tx, events, conv, { text: team.awayMessage }, now);
  await updateCycleState(tx, state, { awaySentAt: now });
  return id;
}
