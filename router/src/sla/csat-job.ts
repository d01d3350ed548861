import { sql } from "drizzle-orm";
import { inTransaction } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import { CSAT_COMMENT_WINDOW_MS, finalizeScore } from "../domain/automation/csat.js";
import type { JobDeps } from "./job-deps.js";

/**
 * Scores whose comment window has passed become `csat.submitted` (comment length 0). The event waits for
 * the window so each survey yields one event, with its comment when there is one.
 */
export async function runCsatJob(deps: JobDeps): Promise<{ submitted: number }> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - CSAT_COMMENT_WINDOW_MS).toISOString();
  const due = await deps.db.execute<{ conversation_id: string; cycle: number }>(sql`
    SELECT conversation_id, cycle FROM sla_cycles
    WHERE csat_score IS NOT NULL AND csat_submitted_at IS NULL AND csat_scored_at <= ${cutoff}::timestamptz
    ORDER BY csat_scored_at LIMIT 500`);
  let submitted = 0;
  for (const row of due) {
    const done = await inTransaction(deps.db, async (tx) => {
      const events = new EventBatch(now);
      const ok = await finalizeScore(tx, events, row.conversation_id, row.cycle, now);
      await events.flush(tx);
      return ok;
    });
    if (done) submitted++;
  }
  return { submitted };
}
