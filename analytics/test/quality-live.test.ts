import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, metricValue, runDashboard, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);

// Q1: resolved by Ana (CSAT 5), reopened 50 min later within the 7-day window, resolved again (CSAT 3).
const q1 = h.conversation().open(d("09:00")).assign(d("09:01"), ana).agent(d("09:02")).resolve(d("09:10")).csat(d("09:10"), 5, d("09:12"));
q1.reopen(d("10:00")).assign(d("10:01"), ana).agent(d("10:02")).resolve(d("10:30")).csat(d("10:30"), 3);
// Q2: Carlos; the survey goes unanswered. Eight days later, past the window, the contact writes again: the
// router opens a new conversation (Q3), which is never a reopen.
h.conversation().open(d("11:00")).assign(d("11:01"), carlos).agent(d("11:05")).resolve(d("11:20")).csat(d("11:20"), null);
h.conversation({ isNewContact: false }).open(at("2026-03-10T09:00:00"));
// Q4: the bot answers and resolves, no human ever assigned. Q5: nobody answers; it expires.
h.conversation().open(d("12:00")).sent(d("12:01"), "bot").resolve(d("12:05"), { by: "bot" });
h.conversation().open(d("13:00")).resolve(d("13:30"), { outcome: "expired", by: "automation" });
// Q6: Ana transfers to Carlos, who resolves (CSAT 4).
h.conversation().open(d("14:00")).assign(at("2026-03-02T14:00:30"), ana).agent(d("14:01")).transfer(d("14:05"), carlos).agent(d("14:06")).resolve(d("14:10")).csat(d("14:10"), 4);

// Live at 15:00: L1 waits unassigned since 14:30; L2 is María's, pending on the customer; L3 is Carlos's, the
// customer wrote again at 14:55. Presence: Ana online, Carlos away, María offline.
h.conversation().open(d("14:30"));
h.conversation().open(d("14:40")).assign(d("14:41"), maria).agent(d("14:42")).status(d("14:43"), "pending");
h.conversation().open(d("14:50")).assign(d("14:50"), carlos).agent(d("14:51")).customer(d("14:55"));
for (const agent of [ana, carlos, maria]) h.presence(agent, "offline", "online", d("08:00"));
h.presence(carlos, "online", "away", d("14:00"));
h.presence(maria, "online", "offline", d("14:58"));
h.capacity(carlos, 5, 3, d("08:00"));
await loadEvents(clickhouse.client, h.events);

const q = async (id: string, query: MetricQuery) => metricValue(clickhouse.client, id, query);
const byKey = async (id: string, query: MetricQuery) => Object.fromEntries((await runMetric(clickhouse.client, id, query)).rows.map((r) => [r.key, r.value]));
// Quality is read up to 14:20 so the live conversations stay out of it.
const morning: MetricQuery = { tenantId: h.tenantId, from: d("00:00"), to: d("14:20"), timeZone: "America/Mexico_City" };
const now: MetricQuery = { ...morning, to: d("15:00") };

describe("reopenings", () => {
  // Resolved before 14:20: Q1 cycle 1, Q1 cycle 2, Q2, Q4, Q5, Q6 = 6 cycles.
  it("counts a reopen within the window against the resolved cycles, never the conversation started after it", async () => {
    expect(await q("reopens", morning)).toBe(1);
    expect(await q("reopen_rate", morning)).toBeCloseTo(1 / 6, 9);
    expect(await q("time_to_reopen_avg", morning)).toBe(50 * 60);
    // Under an agent filter, the reopens of his resolves: Ana's, not Carlos's.
    expect(await q("time_to_reopen_avg", { ...morning, filters: { agentId: ana } })).toBe(50 * 60);
    expect(await q("time_to_reopen_avg", { ...morning, filters: { agentId: carlos } })).toBeNull();
    expect(await q("reopens", { ...morning, filters: { agentId: carlos } })).toBe(0);
    expect(await q("conversations_reopened", morning)).toBe(1);
    const march = { ...morning, to: at("2026-04-01T00:00:00") };
    expect(await q("reopens", march)).toBe(1);
    expect(await q("returning_contacts", march)).toBe(1);
    // Ana resolved Q1 twice, one was reopened; Carlos resolved Q2 and Q6, neither reopened.
    expect(await byKey("agent_reopen_rate", morning)).toEqual({ [ana]: 1 / 2, [carlos]: 0 });
  });

  it("first contact resolution leaves out transferred and reopened cycles; abandonment is no agent message", async () => {
    // Q1c1 reopened, Q6 transferred, Q5 expired (not a resolution): FCR = Q1c2, Q2, Q4 of 5.
    expect(await q("first_contact_resolution_rate", morning)).toBeCloseTo(3 / 5, 9);
    // Under an agent filter, the cycles he was assignee of: Ana's Q1c1 (reopened), Q1c2 and Q6 (transferred); Carlos's
    // Q2 and Q6.
    expect(await q("first_contact_resolution_rate", { ...morning, filters: { agentId: ana } })).toBeCloseTo(1 / 3, 9);
    expect(await q("first_contact_resolution_rate", { ...morning, filters: { agentId: carlos } })).toBeCloseTo(1 / 2, 9);
    expect(await q("abandoned", morning)).toBe(2);
    expect(await q("abandonment_rate", morning)).toBeCloseTo(2 / 6, 9);
  });
});

describe("CSAT and bot containment", () => {
  it("averages answered surveys and credits them to the agent who resolved", async () => {
    expect(await q("csat_avg", morning)).toBe(mean([5, 3, 4]));
    expect(await byKey("csat_distribution", morning)).toEqual({ 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 });
    expect(await q("csat_response_rate", morning)).toBe(3 / 4);
    expect(await q("csat_satisfied_share", morning)).toBeCloseTo(2 / 3, 9);
    expect(await byKey("agent_csat_avg", morning)).toEqual({ [ana]: mean([5, 3]), [carlos]: 4 });
  });

  it("contains a cycle when the bot resolves it with no human assignment", async () => {
    expect(await q("bot_handled", morning)).toBe(1);
    expect(await q("bot_containment_rate", morning)).toBeCloseTo(1 / 6, 9);
  });
});

describe("live operations at a given instant", () => {
  it("reads status, queue and waits as they were at `to`", async () => {
    expect(await q("open_now", now)).toBe(2);
    expect(await q("pending_now", now)).toBe(1);
    expect(await q("unassigned_now", now)).toBe(1);
    expect(await q("oldest_waiting_now", now)).toBe(30 * 60);
    expect(await q("sla_at_risk_now", now)).toBe(1);
    expect(await q("sla_at_risk_now", { ...now, firstResponseTargetSeconds: 240 })).toBe(2);
    // Earlier, at 14:45, only L1 and L2 existed, and L2 was still open and answered.
    expect(await q("open_now", { ...now, to: d("14:42") })).toBe(2);
    expect(await q("pending_now", { ...now, to: d("14:45") })).toBe(1);
  });

  it("reads presence, active chats against capacity and the last hour's queue wait", async () => {
    expect([await q("agents_online_now", now), await q("agents_away_now", now), await q("agents_offline_now", now)]).toEqual([1, 1, 1]);
    const chats = (await runMetric(clickhouse.client, "active_chats_by_agent_now", now)).rows;
    expect(chats).toEqual(expect.arrayContaining([{ key: carlos, value: 1, series: "3" }, { key: maria, value: 1 }]));
    expect(chats).toHaveLength(2);
    // First assignments between 14:00 and 15:00: Q6 after 30 s, L2 after 1 min, L3 at once.
    expect(await q("queue_wait_last_hour_avg", now)).toBe(mean([30, 60, 0]));
  });
});

describe("live status with older history", () => {
  // Its own tenant. At 15:00 on 2 March: W1, opened three days before, has waited on the customer since 27 Feb (the
  // oldest live cycle, so its wait must be found however far back); W2 went pending and the customer's answer made
  // it open again; W3 was pending in its first cycle (resolved 20 Feb) and its reopen has no status change of its
  // own: the old cycle's "pending" must not leak into it.
  const w = new History();
  w.conversation().open(at("2026-02-27T09:00:00")).assign(at("2026-02-27T09:01:00"), ana).agent(at("2026-02-27T09:02:00")).status(at("2026-02-27T10:00:00"), "pending");
  w.conversation().open(d("14:00")).assign(d("14:01"), carlos).agent(d("14:05")).status(d("14:10"), "pending").customer(d("14:20")).status(d("14:20"), "open");
  w.conversation().open(at("2026-02-20T09:00:00")).assign(at("2026-02-20T09:01:00"), maria).agent(at("2026-02-20T09:02:00")).status(at("2026-02-20T10:00:00"), "pending")
    .resolve(at("2026-02-20T11:00:00")).reopen(d("14:30"));
  const at15: MetricQuery = { tenantId: w.tenantId, from: d("00:00"), to: d("15:00"), timeZone: "America/Mexico_City" };
  const counts = async () => Object.fromEntries((await runDashboard(clickhouse.client, "live_operations", at15))
    .filter((p) => ["open_now", "pending_now"].includes(p.metricId)).map((p) => [p.metricId, p.result?.rows[0]?.value]));

  it("finds each live cycle's last status, from its own cycle, before and after compaction", async () => {
    await loadEvents(clickhouse.client, w.events);
    expect(await counts()).toEqual({ open_now: 2, pending_now: 1 });
    // At 14:15 W2 was still pending and W3 not yet reopened.
    expect(await q("pending_now", { ...at15, to: d("14:15") })).toBe(2);
    expect(await q("open_now", { ...at15, to: d("14:15") })).toBe(0);
    await compactCycles(clickhouse.client, { now: new Date(Date.now() + 1000), safetyMs: 0 });
    expect(await counts()).toEqual({ open_now: 2, pending_now: 1 });
  });
});
