import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../src/db/schema/index.js";
import type { DbHandle } from "../src/db/index.js";
import { receiveInbound } from "../src/domain/inbound.js";
import { systemClock } from "../src/clock.js";

import { Session } from "node:inspector/promises";
import { writeFile } from "node:fs/promises";

const HZ = 100; // Linux USER_HZ

/** CPU seconds used so far by this Node process and by the benchmark's PostgreSQL (postmaster + its backends). */
export async function cpuSnapshot(clusterDir: string): Promise<{ node: number; pg: number }> {
  const usage = process.cpuUsage();
  const node = (usage.user + usage.system) / 1e6;
  let pg = 0;
  try {
    const postmaster = Number((await readFile(path.join(clusterDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    for (const entry of await readdir("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const pid = Number(entry);
      if (pid !== postmaster && Number(f[1]) !== postmaster) continue;
      pg += (Number(f[11]) + Number(f[12]) + (pid === postmaster ? Number(f[13]) + Number(f[14]) : 0)) / HZ;
    }
  } catch { /* not Linux or no pid file: report Node only */ }
  return { node, pg };
}

/** Samples what the benchmark database's backends are doing (wait event, or CPU when none) every few ms. */
export function startWaitSampler(url: string, everyMs = 25) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const counts = new Map<string, number>();
  let samples = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const rows = await sql<Array<{ what: string; n: number }>>`
        SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction (waiting for Node)'
                    WHEN wait_event IS NULL THEN 'running on CPU'
                    ELSE wait_event_type || ':' || wait_event END AS what, count(*)::int AS n
        FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'
        GROUP BY 1`;
      samples++;
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + r.n);
    } finally { busy = false; }
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await sql.end({ timeout: 2 });
    return [...counts.entries()].map(([what, n]) => ({ what, avgBackends: n / Math.max(1, samples) })).sort((a, b) => b.avgBackends - a.avgBackends);
  };
}

export async function enableStatements(h: DbHandle): Promise<void> {
  await h.sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
  await h.sql`SELECT pg_stat_statements_reset()`;
}

export async function topStatements(h: DbHandle, limit = 15) {
  return h.sql<Array<{ calls: number; total_ms: number; mean_ms: number; plan_ms: number; share: number; query: string }>>`
    SELECT calls::int, round(total_exec_time::numeric, 1)::float AS total_ms, round(mean_exec_time::numeric, 3)::float AS mean_ms,
           round(mean_plan_time::numeric, 3)::float AS plan_ms,
           round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1)::float AS share,
           regexp_replace(query, '\\s+', ' ', 'g') AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND query NOT ILIKE '%pg_stat%'
    ORDER BY total_exec_time DESC LIMIT ${limit}`;
}

/**
 * Runs one new-customer inbound command through a logging drizzle instance to list every statement it
 * sends (each one a round trip), then EXPLAIN ANALYZEs its reads on the resulting state.
 */
export async function explainInbound(h: DbHandle, msg: { phoneNumberId: string; from: string; text: string; waMessageId: string }) {
  const captured: Array<{ query: string; params: unknown[] }> = [];
  const db = drizzle(h.sql, { schema, logger: { logQuery: (query, params) => { captured.push({ query, params }); } } });
  await receiveInbound({ db, clock: systemClock }, { ...msg, contactName: "Cliente", kind: "text" });
  const out: Array<{ query: string; execMs: number | null; plan: string[] }> = [];
  for (const { query, params } of captured) {
    if (!/^\s*select/i.test(query)) { out.push({ query, execMs: null, plan: [] }); continue; }
    const rows = await h.sql.begin((s) => s.unsafe(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, params as postgres.ParameterOrJSON<never>[]));
    const plan = (rows as unknown as Array<Record<string, string>>).map((r) => r["QUERY PLAN"] ?? "");
    const exec = plan.map((l) => /Execution Time: ([\d.]+) ms/.exec(l)).find(Boolean);
    out.push({ query, execMs: exec ? Number(exec[1]) : null, plan });
  }
  return out;
}

/** Starts V8's sampling profiler in this process; `stop(file)` writes a .cpuprofile (open it in Chrome DevTools). */
export async function startCpuProfile(): Promise<{ stop: (file: string) => Promise<string> }> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    stop: async (file) => {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      return path.resolve(file);
    },
  };
}
