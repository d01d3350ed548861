/**
 * A deterministic synthetic history (same seed → same events): conversations over `days`, agents in three
 * teams, cycles with claims, replies, transfers, notes, tags, reopens, outcomes with deal values in two
 * currencies, CSAT, waits on the customer (pending ↔ open) and presence. About 10 events per conversation, so 1M
 * conversations ≈ 10M events.
 */
import { seededRandom } from "@centralita/router";
import type { TeamSchedule } from "../src/index.js";

export type BenchRow = {
  tenant_id: string; type: string; occurred_at: string; id: string; version: number; conversation_id: string;
  channel_id: string; contact_id: string; agent_id: string; team_id: string; payload: string;
};

export const NIL = "00000000-0000-0000-0000-000000000000";

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
/** A UUID made of a namespace byte and a counter, so ids are unique, stable and cheap. */
const uuidOf = (ns: number, n: number) => `${hex(ns, 8)}-${hex(Math.floor(n / 2 ** 32) & 0xffff, 4)}-4${hex(Math.floor(n / 2 ** 16) & 0xfff, 3)}-8${hex((n >>> 4) & 0xfff, 3)}-${hex(n, 12)}`;

export type GenerateOptions = { conversations: number; agents: number; days: number; end: Date; seed?: number };

/**
 * The three teams' business hours, as a LATAM tenant sets them: a split shift on weekdays and Saturday mornings, in
 * three zones (Santiago's changes for winter in April), with the tenant's holidays. The response board's "_bh"
 * panels count only these hours.
 */
export function benchSchedules(teams: string[]): TeamSchedule[] {
  const split: Array<[string, string]> = [["09:00", "13:00"], ["14:00", "18:00"]];
  const hours = { 1: split, 2: split, 3: split, 4: split, 5: split, 6: [["09:00", "13:00"]] } as TeamSchedule["businessHours"];
  const zones = ["America/Mexico_City", "America/Bogota", "America/Santiago"];
  const holidays = ["2026-01-01", "2026-02-02", "2026-02-16", "2026-02-17"];
  return teams.map((teamId, i) => ({ teamId, timeZone: zones[i % zones.length]!, businessHours: hours, holidays }));
}

export function benchIds(agents: number) {
  return {
    tenant: uuidOf(1, 1),
    teams: [0, 1, 2].map((i) => uuidOf(2, i)),
    channels: [0, 1].map((i) => uuidOf(3, i)),
    agents: Array.from({ length: agents }, (_, i) => uuidOf(4, i)),
  };
}

type Rand = () => number;
type Push = (type: string, payload: Record<string, unknown>, agent?: string | null) => void;
/**
 * One conversation being written: its clock moves forward as events are pushed. `pushSide` writes the status
 * changes: drawn from their own random stream and numbered in their own id range, so adding them left every other
 * event of the data set exactly as it was (earlier bench runs stay comparable).
 */
type Writer = { push: Push; pushSide: Push; advance: (ms: number) => void; now: () => number };

const pickWith = (rand: Rand) => <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

/** A cycle the bot closes alone. */
function botCycle(w: Writer, cycle: number) {
  w.advance(20_000); w.push("message.sent", { cycle, sender: "bot", kind: "text", length: 60 });
  w.advance(60_000); w.push("conversation.resolved", { cycle, outcome: "resolved", deal_value: null, currency: null, loss_reason: null, resolved_by: "bot", assignee_agent_id: null });
}

/**
 * A cycle agents work: claim, replies, maybe a wait on the customer (the agent sets it pending, the customer's
 * answer reopens it, as the router does), a note, a transfer and a quote tag, an outcome, maybe CSAT. Returns who resolved.
 */
function agentCycle(w: Writer, rand: Rand, cycle: number, teamAgents: string[], allAgents: string[], isLead: boolean, teamId: string, waits: boolean): string {
  const pick = pickWith(rand);
  let agent = pick(teamAgents);
  w.advance(Math.floor(rand() * 600_000)); w.push("conversation.assigned", { cycle, assignee_type: "agent", to_agent_id: agent, method: pick(["claim", "round_robin", "least_loaded"]) }, agent);
  w.advance(Math.floor(rand() * 900_000)); w.push("message.sent", { cycle, sender: "agent", kind: "text", length: 80 }, agent);
  if (waits) w.pushSide("conversation.status_changed", { cycle, from: "open", to: "pending" }, agent);
  w.advance(Math.floor(rand() * 600_000)); w.push("message.received", { cycle, kind: "text", length: 30 });
  if (waits) w.pushSide("conversation.status_changed", { cycle, from: "pending", to: "open" });
  if (rand() < 0.2) { w.advance(30_000); w.push("note.added", { cycle, length: 30 }, agent); }
  if (rand() < 0.1) {
    const to = pick(allAgents);
    w.advance(60_000); w.push("conversation.transferred", { cycle, from_agent_id: agent, from_team_id: teamId, to_agent_id: to, to_team_id: null, reason: pick(["soporte", "ventas", "facturación"]) }, agent);
    w.push("conversation.assigned", { cycle, assignee_type: "agent", to_agent_id: to, method: "manual" }, to);
    agent = to;
  }
  w.advance(Math.floor(rand() * 300_000)); w.push("message.sent", { cycle, sender: "agent", kind: "text", length: 80 }, agent);
  if (isLead && rand() < 0.5) w.push("conversation.tagged", { cycle, tag: "quoted", action: "added" }, agent);
  const r = rand();
  const outcome = isLead ? (r < 0.35 ? "won" : r < 0.5 ? "lost" : "resolved") : r < 0.05 ? "abandoned" : "resolved";
  w.advance(Math.floor(rand() * 3_600_000));
  w.push("conversation.resolved", { cycle, outcome, deal_value: outcome === "won" ? Math.round(rand() * 50_000) * 10 : null, currency: outcome === "won" ? (rand() < 0.8 ? "MXN" : "USD") : null,
    loss_reason: outcome === "lost" ? pick(["precio", "tiempo de entrega"]) : null, resolved_by: "agent", assignee_agent_id: agent }, agent);
  if (rand() < 0.5) {
    w.push("csat.requested", { cycle }, agent);
    if (rand() < 0.6) { w.advance(120_000); w.push("csat.submitted", { cycle, score: 1 + Math.floor(rand() * 5), comment_length: 0 }, agent); }
  }
  return agent;
}

/** Yields batches of rows, in conversation order. */
export function* generate(opts: GenerateOptions, batchSize = 50_000): Generator<BenchRow[]> {
  const rand = seededRandom(opts.seed ?? 20261123);
  const sideRand = seededRandom((opts.seed ?? 20261123) + 1);
  let sideN = 0;
  const pick = pickWith(rand);
  const ids = benchIds(opts.agents);
  const startMs = opts.end.getTime() - opts.days * 86_400_000;
  const agentsOfTeam = [0, 1, 2].map((team) => ids.agents.filter((_, i) => i % 3 === team));
  let eventN = 0;
  let batch: BenchRow[] = [];
  for (let c = 0; c < opts.conversations; c++) {
    const conv = { id: uuidOf(5, c), contact: uuidOf(6, c), team: c % 3, channel: pick(ids.channels) };
    let t = startMs + Math.floor(rand() * (opts.days * 86_400_000 - 86_400_000));
    const row = (id: string, type: string, payload: Record<string, unknown>, agent: string | null): BenchRow => ({ tenant_id: ids.tenant, type,
      occurred_at: new Date(t).toISOString(), id, version: 1, conversation_id: conv.id, channel_id: conv.channel, contact_id: conv.contact, agent_id: agent ?? NIL,
      team_id: ids.teams[conv.team]!, payload: JSON.stringify(payload) });
    const w: Writer = {
      advance: (ms) => { t += ms; },
      now: () => t,
      push: (type, payload, agent = null) => batch.push(row(uuidOf(7, eventN++), type, payload, agent)),
      pushSide: (type, payload, agent = null) => batch.push(row(uuidOf(8, sideN++), type, payload, agent)),
    };
    const isLead = conv.team === 0;
    w.push("conversation.opened", { cycle: 1, team_id: ids.teams[conv.team], department: null, territory: pick(["Centro", "Norte", "Sur"]), is_new_contact: rand() < 0.7, out_of_hours: rand() < 0.2, is_lead: isLead, routed_by: "keyword" });
    let resolved = { at: 0, by: null as string | null };
    const cycles = rand() < 0.1 ? 2 : 1;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      if (cycle > 1) {
        w.advance(Math.floor(rand() * 3 * 86_400_000));
        w.push("conversation.reopened", { cycle, reopened_by: "customer", previous_resolved_at: new Date(resolved.at).toISOString(), previous_resolved_by_agent_id: resolved.by });
      }
      w.push("message.received", { cycle, kind: "text", length: 40 });
      const waits = sideRand() < 0.3;
      const by = rand() < 0.05 ? (botCycle(w, cycle), null) : agentCycle(w, rand, cycle, agentsOfTeam[conv.team]!, ids.agents, isLead, ids.teams[conv.team]!, waits);
      resolved = { at: w.now(), by };
    }
    if (batch.length >= batchSize) { yield batch; batch = []; }
  }
  if (batch.length > 0) yield batch;
  yield presenceRows(ids, startMs, opts.days, () => uuidOf(7, eventN++));
}

/** Every agent online 13:00–23:00 UTC (07:00–17:00 in Mexico City) each day, away for lunch. */
function presenceRows(ids: ReturnType<typeof benchIds>, startMs: number, days: number, nextId: () => string): BenchRow[] {
  const rows: BenchRow[] = [];
  const shift: Array<[number, string, string]> = [[13, "offline", "online"], [18, "online", "away"], [19, "away", "online"], [23, "online", "offline"]];
  for (let day = 0; day < days; day++) {
    for (const agent of ids.agents) {
      for (const [hour, from, to] of shift) {
        rows.push({ tenant_id: ids.tenant, type: "agent.presence_changed", occurred_at: new Date(startMs + day * 86_400_000 + hour * 3_600_000).toISOString(), id: nextId(), version: 1,
          conversation_id: NIL, channel_id: NIL, contact_id: NIL, agent_id: agent, team_id: NIL, payload: JSON.stringify({ from, to, source: "manual" }) });
      }
    }
  }
  return rows;
}
