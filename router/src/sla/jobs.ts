import { sql } from "drizzle-orm";
import type { JobDeps } from "./job-deps.js";
import { runSlaJob } from "./sla-job.js";
import { runPresenceJob } from "./presence-job.js";
import { runHoursJob } from "./hours-job.js";
import { runCsatJob } from "./csat-job.js";
import { runExpiryJob } from "./expiry-job.js";

export type { JobDeps } from "./job-deps.js";

/** Every automation job, by name, with its cron schedule (node-cron, seconds first). */
export const jobs = {
  presence: { schedule: "*/30 * * * * *", run: runPresenceJob },
  hours: { schedule: "*/30 * * * * *", run: runHoursJob },
  sla: { schedule: "*/15 * * * * *", run: runSlaJob },
  csat: { schedule: "0 * * * * *", run: runCsatJob },
  expiry: { schedule: "0 */5 * * * *", run: runExpiryJob },
} as const;
export type JobName = keyof typeof jobs;
/** The order runAll uses: presence first (reassign before the SLA looks), hours before SLA (drain first). */
export const jobOrder: JobName[] = ["presence", "hours", "sla", "expiry", "csat"];

/**
 * Runs a job only if no other instance is running it now: a transaction-scoped advisory lock, released
 * when the job ends or its connection dies. Correctness does not depend on it (every job claims its rows
 * and re-checks state under their locks); it only saves duplicate scanning.
 */
export async function runExclusive<T>(deps: JobDeps, name: string, work: () => Promise<T>): Promise<T | "skipped"> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.execute<{ got: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext(${`centralita:job:${name}`})) AS got`);
    if (!row?.got) return "skipped" as const;
    return work();
  });
}

/** Runs one job now: what the scheduler calls, and what tests call with a clock they control. */
export async function runJob(deps: JobDeps, name: JobName, opts: { exclusive?: boolean } = {}) {
  const run = () => jobs[name].run(deps) as Promise<unknown>;
  return opts.exclusive === false ? run() : runExclusive(deps, name, run);
}

export async function runAllJobs(deps: JobDeps, opts: { exclusive?: boolean } = {}) {
  const results: Partial<Record<JobName, unknown>> = {};
  for (const name of jobOrder) results[name] = await runJob(deps, name, opts);
  return results;
}
