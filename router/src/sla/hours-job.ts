import { and, eq, isNotNull, sql } from "drizzle-orm";
import { conversations, type WeeklyHours } from "../db/schema/index.js";
import { inTransaction } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import { isTeamOpen } from "../assignment/business-hours.js";
import { drainBacklog } from "../assignment/drain.js";
import { sendAwayMessageIfClosed } from "../domain/automation/away.js";
import type { JobDeps } from "./job-deps.js";

type TeamRow = { team_id: string; tenant_id: string; time_zone: string; business_hours: WeeklyHours | null; holidays: string[] };
const hoursOf = (t: TeamRow) => ({ timeZone: t.time_zone, businessHours: t.business_hours, holidays: t.holidays });

/** Waiting customers of closed teams with an away message who have not had it this cycle. */
async function awayCandidates(deps: JobDeps) {
  const rows = await deps.db.execute<TeamRow & { id: string }>(sql`
    SELECT c.id, c.team_id, c.tenant_id, t.time_zone, t.business_hours, t.holidays
    FROM conversations c JOIN teams t ON t.id = c.team_id
    LEFT JOIN sla_cycles s ON s.conversation_id = c.id AND s.cycle = c.cycle
    WHERE c.status = 'open' AND c.waiting_since IS NOT NULL AND t.away_message IS NOT NULL
      AND t.business_hours IS NOT NULL AND s.away_sent_at IS NULL
    ORDER BY c.waiting_since LIMIT 500`);
  return [...rows];
}

/** Catch-up for away messages the inbound path did not send (it normally sends them at once). */
export async function sendDueAwayMessages(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const c of (await awayCandidates(deps)).filter((r) => !isTeamOpen(hoursOf(r), now))) {
    const id = await inTransaction(deps.db, async (tx) => {
      const [conv] = await tx.select().from(conversations)
        .where(and(eq(conversations.id, c.id), eq(conversations.status, "open"), isNotNull(conversations.waitingSince)))
        .for("no key update", { skipLocked: true });
      if (!conv) return null;
      const events = new EventBatch(now);
      const messageId = await sendAwayMessageIfClosed(tx, events, conv, now);
      await events.flush(tx);
      return messageId;
    });
    if (id) sent++;
  }
  if (sent) deps.dispatcher?.nudge();
  return sent;
}

/**
 * Teams that are open now with customers waiting in their queue: the ones that just opened (the night's
 * backlog) and any whose drain was missed. drainBacklog claims with SKIP LOCKED, so instances can overlap.
 */
export async function drainOpenTeams(deps: JobDeps): Promise<number> {
  const now = deps.clock.now();
  const teams = await deps.db.execute<TeamRow>(sql`
    SELECT t.id AS team_id, t.tenant_id, t.time_zone, t.business_hours, t.holidays FROM teams t
    WHERE t.strategy <> 'manual' AND EXISTS (SELECT 1 FROM conversations c
      WHERE c.tenant_id = t.tenant_id AND c.team_id = t.id AND c.assignee_id IS NULL AND c.status = 'open')`);
  let assigned = 0;
  for (const t of teams) {
    if (isTeamOpen(hoursOf(t), now)) assigned += await drainBacklog(deps, t.tenant_id, { teamIds: [t.team_id] });
  }
  return assigned;
}

export async function runHoursJob(deps: JobDeps) {
  return { awaySent: await sendDueAwayMessages(deps), drained: await drainOpenTeams(deps) };
}
