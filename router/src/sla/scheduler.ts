import cron, { type ScheduledTask } from "node-cron";
import { jobs, runJob, type JobDeps, type JobName } from "./jobs.js";

/**
 * Starts every automation job on its cron schedule. A run that is still going when the next tick comes is
 * skipped (noOverlap), and across instances the advisory lock lets one run at a time. Jobs work from stored
 * timestamps, so a missed or skipped tick is caught up by the next one.
 */
export function startAutomation(deps: JobDeps, opts: { schedules?: Partial<Record<JobName, string>> } = {}) {
  const running = new Set<Promise<void>>();
  const tick = (name: JobName) => {
    const run = runJob(deps, name).then(() => {}, (error) => deps.log?.("automation job failed", { job: name, error: String(error) }));
    running.add(run);
    return run.finally(() => running.delete(run));
  };
  const tasks: ScheduledTask[] = (Object.keys(jobs) as JobName[]).map((name) =>
    cron.schedule(opts.schedules?.[name] ?? jobs[name].schedule, () => tick(name), { name: `centralita-${name}`, noOverlap: true }));
  return {
    /** Stops the schedules and waits for runs in progress, so the database can be closed after. */
    stop: async () => {
      for (const task of tasks) await task.destroy();
      await Promise.allSettled([...running]);
    },
  };
}
