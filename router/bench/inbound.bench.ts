/**
 * Router inbound benchmark: signed WhatsApp webhooks over real HTTP against the router on an embedded
 * PostgreSQL, next to a single-row-insert baseline on the same Postgres and pool; then the assignment
 * decision with 1,000 agents online in one team. Figures go to bench-results/router.jsonl.
 * Knobs: BENCH_MESSAGES, BENCH_ROUNDS, BENCH_WARMUP, BENCH_CONCURRENCY, BENCH_POOL, BENCH_AGENTS, BENCH_OPEN,
 * BENCH_NEW_SHARE, BENCH_CAPACITY, BENCH_BATCH_MAX, BENCH_BATCH_IN_FLIGHT (the router's group commit, INBOUND_BATCH_*), BENCH_ASSIGN_AGENTS, BENCH_ASSIGN_OPEN, BENCH_ASSIGN_SAMPLES,
 * BENCH_ROUND_TIMEOUT_S, BENCH_TIMEOUT_S, BENCH_PROFILE=1 (pg_stat_statements, wait events, EXPLAIN ANALYZE),
 * BENCH_CPU_PROFILE=<file.cpuprofile> (the router process's CPU profile of the last inbound round, for Chrome DevTools),
 * BENCH_PG_LOG=1 (server log to stdout), BENCH_PG_SETTINGS="name=value,…" (what-if server settings, e.g. deadlock_timeout=50ms; named in the figures' data).
 */
import http from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { serve } from "@hono/node-server";
import { migratePostgres, startEmbeddedPostgres, type EmbeddedDatabase } from "@centralita/migrations";
import { connectDatabase, type DbHandle } from "../src/db/index.js";
import { createApp } from "../src/http/app.js";
import { InboundBatcher } from "../src/domain/inbound-batcher.js";
import { systemClock } from "../src/clock.js";
import { seedWorkspace } from "./seed.js";
import { MessagePlanner, TEAM_PLANS, routingRules } from "./scenario.js";
import { createBaselineTable, fireWebhooks, runBaseline } from "./load.js";
import { benchAssignment } from "./assign.js";
import { cpuSnapshot, startCpuProfile, enableStatements, explainInbound, startWaitSampler, topStatements } from "./profile.js";
import { envFloat, envInt, median, percentile, round, table, writeFigures, type Figure } from "./stats.js";
import { seededRandom } from "../src/channels/whatsapp/simulator/index.js";

const K = {
  messages: envInt("BENCH_MESSAGES", 3000), rounds: envInt("BENCH_ROUNDS", 5), warmup: envInt("BENCH_WARMUP", 3000, 0),
  concurrency: envInt("BENCH_CONCURRENCY", 48), pool: envInt("BENCH_POOL", 20), agents: envInt("BENCH_AGENTS", 200),
  open: envInt("BENCH_OPEN", 10_000, 0), newShare: envFloat("BENCH_NEW_SHARE", 0.7, 0, 1), minCapacity: envInt("BENCH_CAPACITY", 100),
  assignAgents: envInt("BENCH_ASSIGN_AGENTS", 1000), assignOpen: envInt("BENCH_ASSIGN_OPEN", 10_000, 0), assignSamples: envInt("BENCH_ASSIGN_SAMPLES", 200),
  pgSettings: (process.env.BENCH_PG_SETTINGS ?? "").split(",").map((kv) => kv.trim()).filter(Boolean).map((kv) => {
    const m = /^([a-z_.]+)=([\w.-]+)$/.exec(kv);
    if (!m) throw new Error(`BENCH_PG_SETTINGS: expected name=value, got ${kv}`);
    return [m[1]!, m[2]!] as const;
  }),
  batchMax: envInt("BENCH_BATCH_MAX", 32), batchInFlight: envInt("BENCH_BATCH_IN_FLIGHT", 2),
  roundTimeoutMs: envInt("BENCH_ROUND_TIMEOUT_S", 120) * 1000, timeoutMs: envInt("BENCH_TIMEOUT_S", 1200) * 1000, profile: process.env.BENCH_PROFILE === "1",
};
const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const RESULTS = path.join(REPO_ROOT, "bench-results", "router.jsonl");
const APP_SECRET = randomBytes(32).toString("hex");
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

let dataDir = "";
let pg: EmbeddedDatabase | undefined;
let handle: DbHandle | undefined;
let server: ReturnType<typeof serve> | undefined;
const serverErrors = new Map<string, number>();
const agent = new http.Agent({ keepAlive: true, maxSockets: K.concurrency });

async function cleanup() {
  agent.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await handle?.close().catch(() => {});
  await pg?.stop().catch(() => {});
  if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => {});
}

async function startPostgres(): Promise<EmbeddedDatabase> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "centralita-bench-"));
  const pgLog = { log: process.env.BENCH_PG_LOG === "1" };
  let db = await startEmbeddedPostgres(dataDir, pgLog);
  if (K.profile || K.pgSettings.length) { // pg_stat_statements must be preloaded: set it, restart on the same cluster
    const admin = postgres(db.url, { max: 1, onnotice: () => {} });
    if (K.profile) {
      await admin.unsafe("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      await admin.unsafe("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
    }
    for (const [name, value] of K.pgSettings) await admin.unsafe(`ALTER SYSTEM SET ${name} = '${value}'`);
    await admin.end();
    await db.stop();
    db = await startEmbeddedPostgres(dataDir, pgLog);
  }
  return db;
}

async function main() {
  const t0 = performance.now();
  pg = await startPostgres();
  await migratePostgres(pg.url);
  handle = connectDatabase(pg.url, { max: K.pool });
  const h = handle;
  const clusterDir = path.join(dataDir, "postgres");
  log(`postgres up on port ${pg.port} (${dataDir})`);

  const totalNew = Math.round((K.warmup + K.messages * (K.rounds + (K.profile ? 1 : 0))) * K.newShare);
  const capacity = Math.max(K.minCapacity, Math.ceil((K.open + 1.3 * totalNew) / K.agents));
  const ws = await seedWorkspace(h, {
    slug: "bench-inbound", phoneNumberId: "106540352242922", agents: K.agents, teams: TEAM_PLANS, capacity, open: K.open,
    rules: routingRules, defaultTeam: "Ventas",
  });
  const assignCapacity = Math.max(K.minCapacity, Math.ceil((K.assignOpen + 2 * 2 * K.rounds * (K.assignSamples + 20)) / K.assignAgents) + 1);
  const assignWs = await seedWorkspace(h, {
    slug: "bench-assign", phoneNumberId: "106540352249999", agents: K.assignAgents, capacity: assignCapacity, open: K.assignOpen,
    teams: [{ name: "Atención", department: "soporte", strategy: "round_robin" }],
  });
  await createBaselineTable(h.db);
  await h.sql`VACUUM ANALYZE`;
  log(`seeded ${K.agents} agents (capacity ${capacity}) / ${K.open} open conversations + ${K.assignAgents} agents / ${K.assignOpen} open in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const logServerError = (m: string, f?: Record<string, unknown>) => {
    const key = `${m}: ${String(f?.error ?? "").slice(0, 100)}`;
    serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
  };
  const inbound = new InboundBatcher({ db: h.db, clock: systemClock, log: logServerError }, { maxBatch: K.batchMax, maxInFlight: K.batchInFlight });
  const app = createApp({ db: h.db, clock: systemClock, whatsapp: { appSecret: APP_SECRET, verifyToken: "bench-verify-token" }, secretKey: randomBytes(32).toString("hex"), log: logServerError, inbound });
  const port = await new Promise<number>((resolve) => { server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => resolve(info.port)); });
  log(`router listening on 127.0.0.1:${port}`);

  const planner = new MessagePlanner(ws, APP_SECRET, seededRandom(20261123));
  const outboxByType = async () => new Map((await h.sql<Array<{ type: string; n: number }>>`SELECT type, count(*)::int AS n FROM outbox GROUP BY type`).map((r) => [r.type, r.n]));
  const deadlocks = async () => (await h.sql<Array<{ n: number }>>`SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`)[0]!.n;
  async function inboundRound(tag: string, count: number) {
    const reqs = planner.plan(tag, count, K.newShare);
    const before = await outboxByType();
    const deadlocks0 = await deadlocks();
    const cpu0 = await cpuSnapshot(clusterDir);
    const elu0 = performance.eventLoopUtilization();
    const batch0 = { ...inbound.stats };
    const res = await fireWebhooks(agent, port, reqs, K.concurrency, K.roundTimeoutMs);
    const elu = performance.eventLoopUtilization(elu0).utilization;
    const batches = inbound.stats.batches - batch0.batches;
    const perBatch = (inbound.stats.messages - batch0.messages) / Math.max(1, batches);
    const fallbacks = inbound.stats.fallbacks - batch0.fallbacks;
    const cpu1 = await cpuSnapshot(clusterDir);
    const after = await outboxByType();
    const deadlocked = (await deadlocks()) - deadlocks0;
    const delta = (t: string) => (after.get(t) ?? 0) - (before.get(t) ?? 0);
    const [v] = await h.sql<Array<{ persisted: number; assigned: number }>>`
      SELECT count(*)::int AS persisted, count(*) FILTER (WHERE c.assignee_id IS NOT NULL)::int AS assigned
      FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE m.channel_id = ${ws.channelId}::uuid AND m.wa_message_id LIKE ${`wamid.bench.${tag}.%`}`;
    const newSent = reqs.slice(0, res.sent).filter((r) => r.isNew).length;
    const complete = Math.min(v!.assigned, delta("message.received"));
    const secs = res.elapsedMs / 1000;
    return {
      tag, sent: res.sent, elapsedMs: res.elapsedMs, msgsPerS: complete / secs, complete, persisted: v!.persisted, assigned: v!.assigned,
      outboxReceived: delta("message.received"), opened: delta("conversation.opened"), assignedEvents: delta("conversation.assigned"), newSent,
      deadlocked, overOneSecond: res.latencies.filter((l) => l >= 1000).length / Math.max(1, res.latencies.length), p50: percentile(res.latencies, 50), p99: percentile(res.latencies, 99), errors: res.errors, timedOut: res.timedOut,
      nodeMsPerOp: (1000 * (cpu1.node - cpu0.node)) / Math.max(1, res.ok), pgMsPerOp: (1000 * (cpu1.pg - cpu0.pg)) / Math.max(1, res.ok),
      cores: (cpu1.node - cpu0.node + cpu1.pg - cpu0.pg) / secs, elu, perBatch, fallbacks,
    };
  }
  const baselineRound = async () => {
    const cpu0 = await cpuSnapshot(clusterDir);
    const b = await runBaseline(h.db, ws.tenantId, K.messages, K.concurrency, K.roundTimeoutMs);
    const cpu1 = await cpuSnapshot(clusterDir);
    return {
      ...b, p50: percentile(b.latencies, 50), p99: percentile(b.latencies, 99),
      nodeMsPerOp: (1000 * (cpu1.node - cpu0.node)) / b.done, pgMsPerOp: (1000 * (cpu1.pg - cpu0.pg)) / b.done,
    };
  };

  if (K.warmup > 0) {
    await runBaseline(h.db, ws.tenantId, K.warmup, K.concurrency, K.roundTimeoutMs);
    const w = await inboundRound("w", K.warmup);
    log(`warm-up: ${w.complete}/${w.sent} complete, ${w.msgsPerS.toFixed(0)} msg/s`);
  }
  const baselines: Awaited<ReturnType<typeof baselineRound>>[] = [];
  const rounds: Awaited<ReturnType<typeof inboundRound>>[] = [];
  for (let r = 1; r <= K.rounds; r++) {
    const b = await baselineRound();
    baselines.push(b);
    // Only the last inbound round is profiled: the baseline's many small writes would drown it.
    const cpuProfile = process.env.BENCH_CPU_PROFILE && r === K.rounds ? await startCpuProfile() : null;
    const i = await inboundRound(`r${r}`, K.messages);
    if (cpuProfile) log(`CPU profile of inbound round ${r} → ${await cpuProfile.stop(process.env.BENCH_CPU_PROFILE!)}`);
    rounds.push(i);
    log(`round ${r}: baseline ${b.txPerS.toFixed(0)} tx/s (p99 ${b.p99.toFixed(1)} ms) | inbound ${i.msgsPerS.toFixed(0)} msg/s, p50 ${i.p50.toFixed(1)} ms, p99 ${i.p99.toFixed(1)} ms, ${i.complete}/${i.sent} complete, ${i.deadlocked} deadlocks`);
    for (const [e, n] of i.errors) log(`  ${n} × ${e}`);
  }

  // The floor: the same HTTP client, server, signature check and parsing for webhooks that carry no message.
  const floorReqs = planner.planEmpty(Math.min(K.messages, 2000));
  const floorCpu0 = await cpuSnapshot(clusterDir);
  const floorRes = await fireWebhooks(agent, port, floorReqs, K.concurrency, K.roundTimeoutMs);
  const floorCpu1 = await cpuSnapshot(clusterDir);
  const floor = { reqPerS: floorRes.ok / (floorRes.elapsedMs / 1000), p99: percentile(floorRes.latencies, 99), nodeMsPerReq: (1000 * (floorCpu1.node - floorCpu0.node)) / Math.max(1, floorRes.ok) };

  let profileReport: string[] = [];
  if (K.profile) {
    await enableStatements(h);
    const stopSampler = startWaitSampler(pg.url);
    const p = await inboundRound("p", K.messages);
    const waits = await stopSampler();
    const top = await topStatements(h);
    profileReport = [
      `\nProfile round (not counted): ${p.msgsPerS.toFixed(0)} msg/s, p99 ${p.p99.toFixed(1)} ms. Backends busy, on average (of pool ${K.pool}):`,
      ...waits.map((w) => `  ${w.avgBackends.toFixed(2).padStart(6)}  ${w.what}`),
      `Top statements by total execution time (pg_stat_statements; includes lock waits):`,
      table([["calls", "total ms", "mean ms", "plan ms", "share %", "statement"], ...top.map((s) => [s.calls, s.total_ms, s.mean_ms, s.plan_ms, s.share, s.query.slice(0, 150)])]),
    ];
  }

  log("assignment latency: sequential baseline, then autoAssign / inbound with one team of " + K.assignAgents);
  const assignRounds: Array<{ auto: number[]; inbound: number[]; base: number[]; byStrategy: Awaited<ReturnType<typeof benchAssignment>> }> = [];
  for (let r = 1; r <= K.rounds; r++) {
    const base = (await runBaseline(h.db, assignWs.tenantId, K.assignSamples, 1, K.roundTimeoutMs)).latencies;
    const byStrategy = await benchAssignment(h, assignWs, K.assignSamples, ["round_robin", "least_loaded"]);
    assignRounds.push({ base, byStrategy, auto: byStrategy.flatMap((s) => s.autoAssignMs), inbound: byStrategy.flatMap((s) => s.inboundMs) });
  }

  if (K.profile) {
    for (const [name, w, phone] of [[`${K.agents}-agent workspace, least-loaded team of ${Math.ceil(K.agents / TEAM_PLANS.length)}`, ws, "5255"], [`one team of ${K.assignAgents}`, assignWs, "5299"]] as const) {
      const plan = await explainInbound(h, { phoneNumberId: w.phoneNumberId, from: `${phone}8${String(Date.now() % 1e7).padStart(7, "0")}`, text: "Mi silla llegó rota, ¿aplica la garantía?", waMessageId: `wamid.explain.${Date.now()}` });
      profileReport.push(`\nStatements of one new-customer inbound (${name}): ${plan.length} + BEGIN/COMMIT round trips`);
      for (const s of plan) profileReport.push(`  ${s.execMs === null ? "   write" : `${s.execMs.toFixed(3).padStart(8)}`}  ${s.query.replace(/\s+/g, " ").slice(0, 140)}`);
      const slowest = plan.filter((s) => s.execMs !== null).sort((a, b) => b.execMs! - a.execMs!)[0];
      if (slowest) profileReport.push("  slowest read's plan:", ...slowest.plan.map((l) => `    ${l}`));
    }
  }

  // Figures: medians over rounds.
  const msgs = median(rounds.map((r) => r.msgsPerS));
  const baseTx = median(baselines.map((b) => b.txPerS));
  const p50 = median(rounds.map((r) => r.p50));
  const p99 = median(rounds.map((r) => r.p99));
  const baseP50 = median(baselines.map((b) => b.p50));
  const baseP99 = median(baselines.map((b) => b.p99));
  const aP99 = median(assignRounds.map((a) => percentile(a.auto, 99)));
  const aP50 = median(assignRounds.map((a) => percentile(a.auto, 50)));
  const aBaseP99 = median(assignRounds.map((a) => percentile(a.base, 99)));
  const aBaseP50 = median(assignRounds.map((a) => percentile(a.base, 50)));
  const at = new Date().toISOString();
  const k = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
  const whatIf = K.pgSettings.length ? `; what-if ${K.pgSettings.map(([n, v]) => `${n}=${v}`).join(" ")}` : "";
  const data = `${K.agents} agents online in ${TEAM_PLANS.length} teams (capacity ${capacity}), ${k(K.open)} open conversations; ${K.rounds}×${k(K.messages)} webhooks, ${Math.round(K.newShare * 100)}% new customers, ${K.concurrency} in flight, pool ${K.pool}, group commit ≤${K.batchMax} msgs × ${K.batchInFlight} tx${whatIf}`;
  const assignData = `${K.assignAgents} agents online in one team, ${k(K.assignOpen)} open conversations; ${K.rounds}×${2 * K.assignSamples} sequential decisions (round robin + least loaded)${whatIf}`;
  const fig = (figure: string, value: number, unit: string, baseline: string, baselineValue: number, ratio: number | null, goal: string | null, d: string): Figure =>
    ({ figure, value: round(value, unit === "ms" ? 2 : 0), unit, baseline, baseline_value: round(baselineValue, unit === "ms" ? 2 : 0), ratio: ratio === null ? null : round(ratio, 2), goal, data: d, at });
  const figures = [
    fig("router.inbound_msgs_per_s", msgs, "msg/s", "single-row insert tx/s on the same Postgres (same pool, same concurrency)", baseTx, msgs / baseTx, ">=1500 and ratio >=0.5", data),
    fig("router.inbound_p50_ms", p50, "ms", "single-row insert tx p50 at the same concurrency (ratio = value / baseline)", baseP50, p50 / baseP50, null, data),
    fig("router.inbound_p99_ms", p99, "ms", "single-row insert tx p99 at the same concurrency (ratio = value / baseline)", baseP99, p99 / baseP99, null, data),
    fig("router.assign_p50_ms", aP50, "ms", "single-row insert tx p50, sequential (ratio = value / baseline)", aBaseP50, aP50 / aBaseP50, null, assignData),
    fig("router.assign_p99_ms", aP99, "ms", "single-row insert tx p99, sequential (ratio = value / baseline)", aBaseP99, aP99 / aBaseP99, null, assignData),
  ];
  await writeFigures(RESULTS, figures);

  const f1 = (n: number) => Number(n.toFixed(1));
  const f2 = (n: number) => n.toFixed(2);
  console.log(`\nInbound webhooks — ${data}`);
  console.log(table([
    ["round", "baseline tx/s", "p99 ms", "CPU ms/tx node+pg", "inbound msg/s", "p50 ms", "p99 ms", "≥1 s", "complete/sent", "new (opened/assigned)", "errors", "deadlocks", "CPU ms/msg node+pg", "cores", "event loop", "msgs/tx", "rolled back"],
    ...rounds.map((r, i) => {
      const b = baselines[i]!;
      return [r.tag, Math.round(b.txPerS), f1(b.p99), `${f2(b.nodeMsPerOp)}+${f2(b.pgMsPerOp)}`, Math.round(r.msgsPerS), f1(r.p50), f1(r.p99), `${Math.round(r.overOneSecond * 100)}%`,
        `${r.complete}/${r.sent}${r.timedOut ? " (timeout)" : ""}`, `${r.newSent} (${r.opened}/${r.assignedEvents})`, [...r.errors.values()].reduce((a, c) => a + c, 0), r.deadlocked,
        `${f2(r.nodeMsPerOp)}+${f2(r.pgMsPerOp)}`, f1(r.cores), `${Math.round(r.elu * 100)}%`, f1(r.perBatch), r.fallbacks];
    }),
  ]));
  console.log(`HTTP floor (signed webhook without messages, same client and server): ${Math.round(floor.reqPerS)} req/s, p99 ${f1(floor.p99)} ms, Node CPU ${f2(floor.nodeMsPerReq)} ms/req`);
  console.log(`\nAssignment decision — ${assignData}`);
  console.log(table([
    ["round", "baseline p50/p99 ms", "autoAssign p50/p99 ms", "rr p99", "ll p99", "inbound in-process p50/p99 ms"],
    ...assignRounds.map((a, i) => [`r${i + 1}`, `${f1(percentile(a.base, 50))}/${f1(percentile(a.base, 99))}`, `${f1(percentile(a.auto, 50))}/${f1(percentile(a.auto, 99))}`,
      f1(percentile(a.byStrategy[0]!.autoAssignMs, 99)), f1(percentile(a.byStrategy[1]!.autoAssignMs, 99)), `${f1(percentile(a.inbound, 50))}/${f1(percentile(a.inbound, 99))}`]),
  ]));
  if (serverErrors.size) console.log(`\nServer errors (500s):\n${[...serverErrors].map(([e, n]) => `  ${n} × ${e}`).join("\n")}`);
  console.log(profileReport.join("\n"));
  console.log(`\nFigures (median of ${K.rounds} rounds) → ${path.relative(process.cwd(), RESULTS)}`);
  console.log(table([["figure", "value", "unit", "baseline", "ratio", "goal"], ...figures.map((f) => [f.figure, f.value, f.unit, f.baseline_value, f.ratio, f.goal ?? ""])]));
  const goalMet = msgs >= 1500 && msgs / baseTx >= 0.5;
  console.log(`\nrouter.inbound_msgs_per_s goal ${goalMet ? "met" : "NOT met"}; total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

const watchdog = setTimeout(() => {
  console.error(`benchmark exceeded BENCH_TIMEOUT_S (${K.timeoutMs / 1000} s); stopping`);
  void cleanup().finally(() => process.exit(2));
}, K.timeoutMs);
watchdog.unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().finally(() => process.exit(130)));

try {
  await main();
  await cleanup();
  process.exit(0);
} catch (error) {
  console.error(error);
  await cleanup();
  process.exit(1);
}
