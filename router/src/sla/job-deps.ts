import type { Db } from "../db/index.js";
import type { Clock } from "../clock.js";
import { drainBacklog } from "../assignment/drain.js";

/** What every automation job needs; tests pass a manual clock and call the jobs directly. */
export type JobDeps = {
  db: Db;
  clock: Clock;
  /** Nudged after queueing an automated message so it leaves at once instead of at the next poll. */
  dispatcher?: { nudge: () => void };
  log?: (msg: string, fields?: Record<string, unknown>) => void;
};

/** An agent lost a chat (escalation, expiry): offer his freed seat to his teams' waiting customers. */
export async function drainFreed(deps: JobDeps, tenantId: string, agentId: string): Promise<void> {
  await drainBacklog(deps, tenantId, { agentId });
}
