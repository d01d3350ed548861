import { and, eq, isNotNull, sql } from "drizzle-orm";
import { conversations, messages, teams, tenants, type EscalationStep, type WeeklyHours } from "../db/schema/index.js";
import { inTransaction, type Tx } from "../db/index.js";
import { EventBatch } from "../outbox/append.js";
import type { Conversation } from "../assignment/assign.js";
import { DEFAULT_STEPS_SQL, effectiveAutomation } from "../domain/automation/settings.js";
import { lockCycleState, updateCycleState, type CycleState } from "../domain/automation/cycle-state.js";
import { raiseAlert } from "../domain/automation/alerts.js";
import { ctxOf } from "../domain/inbound.js";
import { isDue, ladderDue, type LadderDue } from "./ladder.js";
import { openSince, teamClockCache } from "./team-clock.js";
import { takeStep } from "./escalate.js";
import { drainFreed, type JobDeps } from "./job-deps.js";

const BATCH = 500;

/** Times as epoch milliseconds: raw queries get timestamps as text from the driver. */
type Candidate = {
  id: string; team_id: string | null; waiting_ms: number; target: number; steps: EscalationStep[];
  time_zone: string | null; business_hours: WeeklyHours | null; holidays: string[] | null;
  wait_started_ms: number | null; alerted_ms: number | null; escalation_step: number | null;
};
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/**
 * Customers waiting on an open conversation long enough for the smallest threshold (target or first step),
 * whose wait still has something left to do. Oldest waits first.
 */
async function candidates(deps: JobDeps, now: Date): Promise<Candidate[]> {
  const steps = sql`COALESCE(ta.escalation_steps, ws.escalation_steps, ${DEFAULT_STEPS_SQL})`;
  const target = sql`COALESCE(t.first_response_target_seconds, tn.first_response_target_seconds)`;
  const rows = await deps.db.execute<Candidate>(sql`
    SELECT c.id, c.team_id, ${ms("c.waiting_since")} AS waiting_ms, ${target} AS target, ${steps} AS steps,
           t.time_zone, t.business_hours, t.holidays, ${ms("s.wait_started_at")} AS wait_started_ms,
           ${ms("s.alerted_at")} AS alerted_ms, s.escalation_step
    FROM conversations c
    JOIN tenants tn ON tn.id = c.tenant_id
    LEFT JOIN teams t ON t.id = c.team_id
    LEFT JOIN automation_settings ws ON ws.tenant_id = c.tenant_id
    LEFT JOIN team_automation ta ON ta.team_id = c.team_id
    LEFT JOIN sla_cycles s ON s.conversation_id = c.id AND s.cycle = c.cycle
    WHERE c.status = 'open' AND c.waiting_since IS NOT NULL
      AND c.waiting_since <= ${now.toISOString()}::timestamptz
          - make_interval(secs => LEAST(${target}, COALESCE((${steps}->0->>'afterSeconds')::int, ${target})))
      AND (s.conversation_id IS NULL OR s.wait_started_at IS DISTINCT FROM c.waiting_since OR s.alerted_at IS NULL
           OR s.escalation_step < jsonb_array_length(${steps}))
    ORDER BY c.waiting_since LIMIT ${BATCH}`);
  return [...rows];
}

function dueFor(c: Candidate, clockOf: ReturnType<typeof teamClockCache>, now: Date): LadderDue | null {
  const hours = c.time_zone ? { timeZone: c.time_zone, businessHours: c.business_hours, holidays: c.holidays ?? [] } : null;
  const since = clockOf(c.team_id, hours);
  if (!since) return null;
  const date = (v: number | null) => (v === null ? null : new Date(v));
  const state = c.escalation_step === null ? null : { waitStartedAt: date(c.wait_started_ms), alertedAt: date(c.alerted_ms), escalationStep: c.escalation_step };
  return ladderDue({ waitingSince: new Date(c.waiting_ms), openSince: since, now, targetSeconds: c.target, steps: c.steps, state });
}

async function isFirstResponse(tx: Tx, conv: Conversation): Promise<boolean> {
  const [replied] = await tx.select({ id: messages.id }).from(messages)
    .where(and(eq(messages.conversationId, conv.id), eq(messages.cycle, conv.cycle), eq(messages.sender, "agent"))).limit(1);
  return !replied;
}

/** At the target: an alert for the assignee and the team's supervisors; `sla.breached` once per cycle. */
async function passTarget(tx: Tx, events: EventBatch, conv: Conversation, state: CycleState, due: LadderDue, target: number, now: Date) {
  const firstResponse = state.breachedAt === null && (await isFirstResponse(tx, conv));
  await raiseAlert(tx, {
    kind: "sla_breached", conv, agentId: conv.assigneeId, now,
    details: { targetSeconds: target, waitedSeconds: due.waitedSeconds, firstResponse },
    dedupeKey: `${conv.id}:${conv.cycle}:${conv.waitingSince!.toISOString()}:target`,
  });
  if (firstResponse) events.add("sla.breached", ctxOf(conv), { cycle: conv.cycle, target_seconds: target, waited_seconds: due.waitedSeconds });
  await updateCycleState(tx, state, { alertedAt: now, ...(firstResponse ? { breachedAt: now } : {}) });
}

/** Re-reads everything under the conversation's lock: another instance may have acted since the scan. */
async function processOne(deps: JobDeps, id: string): Promise<{ acted: boolean; freed: string | null; tenantId?: string }> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const [conv] = await tx.select().from(conversations)
      .where(and(eq(conversations.id, id), eq(conversations.status, "open"), isNotNull(conversations.waitingSince)))
      .for("no key update", { skipLocked: true });
    if (!conv) return { acted: false, freed: null };
    const [team] = conv.teamId ? await tx.select().from(teams).where(eq(teams.id, conv.teamId)) : [];
    const since = openSince(team ?? null, now);
    if (!since) return { acted: false, freed: null };
    const [tenant] = await tx.select({ target: tenants.firstResponseTargetSeconds }).from(tenants).where(eq(tenants.id, conv.tenantId));
    const settings = await effectiveAutomation(tx, conv.tenantId, conv.teamId);
    const target = team?.firstResponseTargetSeconds ?? tenant!.target;
    let state = await lockCycleState(tx, conv);
    const due = ladderDue({ waitingSince: conv.waitingSince!, openSince: since, now, targetSeconds: target, steps: settings.escalationSteps, state });
    if (due.reset) {
      await updateCycleState(tx, state, { waitStartedAt: conv.waitingSince, alertedAt: null, escalationStep: 0 });
      state = { ...state, waitStartedAt: conv.waitingSince, alertedAt: null, escalationStep: 0 };
    }
    if (!isDue(due)) return { acted: false, freed: null };
    const events = new EventBatch(now);
    if (due.alert) await passTarget(tx, events, conv, state, due, target, now);
    let freed: string | null = null;
    if (due.step !== null) {
      freed = (await takeStep({ tx, events, now }, conv, due.step, settings.escalationSteps[due.step]!, due.waitedSeconds)).freed;
      await updateCycleState(tx, state, { escalationStep: due.step + 1 });
    }
    await events.flush(tx);
    return { acted: true, freed, tenantId: conv.tenantId };
  });
}

/** The SLA clock: alerts at the first-response target, then the team's escalation ladder. */
export async function runSlaJob(deps: JobDeps): Promise<{ acted: number }> {
  const now = deps.clock.now();
  const clockOf = teamClockCache(now);
  const due = (await candidates(deps, now)).filter((c) => {
    const d = dueFor(c, clockOf, now);
    return d !== null && isDue(d);
  });
  let acted = 0;
  for (const c of due) {
    const out = await processOne(deps, c.id);
    if (out.acted) acted++;
    if (out.freed) await drainFreed(deps, out.tenantId!, out.freed);
  }
  return { acted };
}
