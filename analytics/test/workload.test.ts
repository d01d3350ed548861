import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { metricValue, runDashboard, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos, maria] = [randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const d = (hhmm: string) => at(`2026-03-02T${hhmm}:00`);
const HOUR = 3600;

// Presence. Ana: online 08:00, away 12:00–13:00, offline at 17:00. Carlos: online since 07:00, before the
// range, and never leaves. María: online at 08:00, never gets a chat.
h.presence(ana, "offline", "online", d("08:00"));
h.presence(ana, "online", "away", d("12:00"));
h.presence(ana, "away", "online", d("13:00"));
h.presence(ana, "online", "offline", d("17:00"));
h.presence(carlos, "offline", "online", d("07:00"));
h.presence(maria, "offline", "online", d("08:00"));
h.capacity(ana, 5, 4, d("07:30"));
// Ana's chats: X 09:00–10:00; Y 09:30–11:00, then Carlos 11:00–11:30; Z 12:30–13:30 (half of it while
// away); W from 16:30, still open at the range end (she goes offline at 17:00).
h.conversation().open(d("09:00")).assign(d("09:00"), ana).agent(d("09:01")).resolve(d("10:00"));
h.conversation().open(d("09:30")).assign(d("09:30"), ana).agent(d("09:31")).transfer(d("11:00"), carlos).agent(d("11:01")).resolve(d("11:30"));
h.conversation().open(d("12:30")).assign(d("12:30"), ana).agent(d("12:31")).resolve(d("13:30"));
h.conversation().open(d("16:30")).assign(d("16:30"), ana).agent(d("16:31"));
// Luis never sets a presence (never online): his chat counts only in the maximum.
const luis = randomUUID();
h.conversation().open(d("14:00")).assign(d("14:00"), luis).agent(d("14:01")).resolve(d("15:00"));
await loadEvents(clickhouse.client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: d("08:00"), to: d("18:00"), timeZone: "America/Mexico_City" };
const byKey = async (id: string) => Object.fromEntries((await runMetric(clickhouse.client, id, range)).rows.map((r) => [r.key, r.value]));

// By hand. Ana online 08–12 and 13–17: 8 h. Chat time while online: X 1 h + Y 1.5 h + Z 0.5 h + W 0.5 h = 3.5 h.
// Online with ≥ 1 chat: 09:00–11:00, 13:00–13:30, 16:30–17:00 = 3 h. Carlos online 08–18 = 10 h, one chat 0.5 h.
const anaOnline = 8 * HOUR, anaChats = 3.5 * HOUR, anaOccupied = 3 * HOUR;
const carlosOnline = 10 * HOUR, carlosChats = 0.5 * HOUR;

describe("time-weighted concurrency and occupancy from presence", () => {
  it("counts online time from presence changes, including a change before the range", async () => {
    expect(await byKey("online_time_by_agent")).toEqual({ [ana]: anaOnline, [carlos]: carlosOnline, [maria]: 10 * HOUR });
  });

  it("integrates concurrent chats over online time only", async () => {
    expect(await byKey("concurrent_chats_avg")).toEqual({ [ana]: anaChats / anaOnline, [carlos]: carlosChats / carlosOnline, [maria]: 0 });
    // Ana held X and Y at once between 09:30 and 10:00; the 11:00 handover never makes two for anybody.
    expect(await byKey("concurrent_chats_max")).toEqual({ [ana]: 2, [carlos]: 1, [maria]: 0, [luis]: 1 });
  });

  it("occupancy is online time with at least one chat; utilization divides by capacity", async () => {
    expect(await byKey("occupancy")).toEqual({ [ana]: anaOccupied / anaOnline, [carlos]: carlosChats / carlosOnline, [maria]: 0 });
    expect(await byKey("capacity_utilization")).toEqual({ [ana]: anaChats / anaOnline / 4 });
  });

  it("balances assignments across the agents online in the range", async () => {
    // Assignments: Ana 4, Carlos 1, María 0 → mean 5/3, population deviation by hand.
    const counts = [4, 1, 0];
    const m = mean(counts);
    const sd = Math.sqrt(mean(counts.map((c) => (c - m) ** 2)));
    expect(await metricValue(clickhouse.client, "assignment_balance", range)).toBeCloseTo(sd / m, 9);
  });

  it("counts assignments under the filters, and balances every assignment of the agents online", async () => {
    // One read of the assignments serves the board's five panels on them (`metrics/assignments.ts`).
    const panels = async (query: MetricQuery) => {
      const board = await runDashboard(clickhouse.client, "workload", query);
      return (id: string) => board.find((p) => p.metricId === id)?.result?.rows ?? [];
    };
    const all = await panels(range);
    // By hand: Ana 4, then Carlos (the transfer) and Luis 1 each, ties by agent as text.
    const ones = [carlos, luis].sort().map((key) => ({ key, value: 1 }));
    expect(all("assignments_by_agent")).toEqual([{ key: ana, value: 4 }, ...ones]);
    expect(all("assignments").reduce((n, r) => n + Number(r.value), 0)).toBe(6);
    // Another team's view counts none of them; the balance stays over every assignment of the agents online.
    const otherTeam = await panels({ ...range, filters: { teamId: randomUUID() } });
    for (const id of ["assignments_by_agent", "assignments", "assignments_by_method", "auto_reassignments"]) expect(otherTeam(id)).toEqual([]);
    const counts = [4, 1, 0];
    const m = mean(counts);
    expect(otherTeam("assignment_balance")[0]?.value).toBeCloseTo(Math.sqrt(mean(counts.map((c) => (c - m) ** 2))) / m, 9);
  });
});
