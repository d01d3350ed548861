import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { metricValue, type MetricQuery, type TeamSchedule } from "../src/index.js";
import { businessMs, openWindows } from "../src/query/business-hours.js";
import { seededRandom } from "@centralita/router";
import { formatQueryParams } from "@clickhouse/client/dist/common/index.js";
import { tempClickHouse, watchingQueries, type SentQuery } from "./support/clickhouse.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean, percentileInc } from "./support/stats.js";

const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const h = new History();
const ana = randomUUID();
const mx = randomUUID(), co = randomUUID(), cl = randomUUID(), always = randomUUID();
const weekdays = (open: string, close: string) => Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [[open, close]]]));
const schedules: TeamSchedule[] = [
  // Mexico City (UTC−6 all year), Monday 16 March 2026 a holiday (Benito Juárez).
  { teamId: mx, timeZone: "America/Mexico_City", businessHours: weekdays("09:00", "18:00"), holidays: ["2026-03-16"] },
  // Bogotá (UTC−5), Saturday mornings too, Monday 23 March 2026 a holiday (San José).
  { teamId: co, timeZone: "America/Bogota", businessHours: { ...weekdays("08:00", "17:00"), 6: [["09:00", "13:00"]] }, holidays: ["2026-03-23"] },
  // Santiago: summer time (UTC−3) ends on Sunday 5 April 2026, UTC−4 afterwards.
  { teamId: cl, timeZone: "America/Santiago", businessHours: weekdays("09:00", "18:00"), holidays: [] },
  { teamId: always, timeZone: "UTC", businessHours: null, holidays: [] },
];

/** One cycle: the customer writes at `asked`, Ana answers at `answered`. */
const cycle = (teamId: string, asked: string, answered: string) =>
  h.conversation({ teamId }).open(at(asked)).assign(at(asked), ana).agent(at(answered));

cycle(mx, "2026-03-13T23:00:00Z", "2026-03-17T16:00:00Z"); // Fri 17:00 → Tue 10:00 local, Monday a holiday
cycle(co, "2026-03-21T17:00:00Z", "2026-03-24T13:30:00Z"); // Sat 12:00 → Tue 08:30 local, Monday a holiday
cycle(cl, "2026-04-03T20:30:00Z", "2026-04-06T13:15:00Z"); // Fri 17:30 (−3) → Mon 09:15 (−4)
cycle(always, "2026-03-10T10:00:00Z", "2026-03-10T10:10:00Z"); // no schedule: every second counts
cycle(mx, "2026-03-18T16:00:00Z", "2026-03-18T16:05:00Z"); // Wed 10:00 → 10:05 local, inside hours
await loadEvents(clickhouse.client, h.events);

const range: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-01T00:00:00"), to: at("2026-04-10T00:00:00"), timeZone: "America/Mexico_City", teamSchedules: schedules };

// By hand: MX Fri 17:00–18:00 + Tue 09:00–10:00 = 2 h; CO Sat 12:00–13:00 + Tue 08:00–08:30 = 1.5 h;
// CL Fri 17:30–18:00 + Mon 09:00–09:15 = 45 min (with Monday read as UTC−3 it would be 1 h 45 min);
// always-open 10 min; MX inside hours 5 min.
const businessSeconds = [2 * 3600, 1.5 * 3600, 45 * 60, 10 * 60, 5 * 60];
const wallSeconds = [89 * 3600, 68.5 * 3600, 64.75 * 3600, 10 * 60, 5 * 60];

describe("first response time in business hours", () => {
  it("counts only open seconds of each team's schedule, in its zone, across weekends, holidays and DST", async () => {
    expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", range)).toBeCloseTo(mean(businessSeconds), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_bh_p90", range)).toBeCloseTo(percentileInc(businessSeconds, 0.9), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_avg", range)).toBeCloseTo(mean(wallSeconds), 6);
  });

  it("treats a team with no schedule given as always open, and filters by team", async () => {
    const noSchedules = { ...range, teamSchedules: [] };
    expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", noSchedules)).toBeCloseTo(mean(wallSeconds), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", { ...range, filters: { teamId: cl } })).toBe(45 * 60);
    expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", { ...range, filters: { teamId: mx } })).toBeCloseTo(mean([7200, 300]), 6);
  });
});

describe("first response time in business hours, against the definition", () => {
  // Teams whose days hold several windows (a split shift, a late evening one), a DST change, holidays, and replies
  // landing on window edges or past the last window: the lookup must give, for every cycle, what `businessMs` gives by walking the windows.
  const g = new History();
  const rand = seededRandom(20261206);
  const split: TeamSchedule["businessHours"] = Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [["08:00", "10:30"], ["11:00", "14:00"], ["15:00", "19:00"], ["20:00", "23:30"]]]));
  const teams: TeamSchedule[] = [
    { teamId: randomUUID(), timeZone: "America/Santiago", businessHours: split, holidays: ["2026-04-08"] },
    { teamId: randomUUID(), timeZone: "America/Sao_Paulo", businessHours: { ...weekdays("09:00", "18:00"), 6: [["00:00", "23:59"]] }, holidays: [] },
    { teamId: randomUUID(), timeZone: "America/Mexico_City", businessHours: weekdays("09:00", "18:00"), holidays: ["2026-03-30", "2026-03-31"] },
    { teamId: randomUUID(), timeZone: "UTC", businessHours: null, holidays: [] },
  ];
  const from = at("2026-03-25T00:00:00"), to = at("2026-04-15T00:00:00");
  const expected: number[] = [];
  for (let i = 0; i < 240; i++) {
    const team = teams[i % teams.length]!;
    const asked = from.getTime() + Math.floor(rand() * (to.getTime() - from.getTime()));
    // Some replies land exactly on a window's start or end (a quarter of those of scheduled teams).
    const windows = team.businessHours ? openWindows(team, from, new Date(to.getTime() + 14 * 86_400_000)) : null;
    const edges = windows ? [...windows.starts, ...windows.ends].filter((x) => x > asked) : [];
    // And a few past the windows' horizon (the range's end + 14 days), where every team's windows have all passed.
    const late = rand() < 0.06;
    const answered = late ? asked + 25 * 86_400_000 + Math.floor(rand() * 86_400_000)
      : edges.length > 0 && rand() < 0.25 ? edges[Math.floor(rand() * Math.min(edges.length, 6))]! : asked + Math.floor(rand() * 4 * 86_400_000);
    g.conversation({ teamId: team.teamId }).open(new Date(asked)).assign(new Date(asked), ana).agent(new Date(answered));
    expected.push((windows ? businessMs(windows, asked, answered) : answered - asked) / 1000);
  }
  const query: MetricQuery = { tenantId: g.tenantId, from, to, timeZone: "UTC", teamSchedules: teams };

  it("gives every cycle's business seconds as walking its team's windows does", async () => {
    await loadEvents(clickhouse.client, g.events);
    expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", query)).toBeCloseTo(mean(expected), 6);
    expect(await metricValue(clickhouse.client, "first_response_time_bh_p90", query)).toBeCloseTo(percentileInc(expected, 0.9), 6);
    for (const team of teams) {
      const own = expected.filter((_, i) => teams[i % teams.length] === team);
      expect(await metricValue(clickhouse.client, "first_response_time_bh_avg", { ...query, filters: { teamId: team.teamId } })).toBeCloseTo(mean(own), 6);
    }
  });
});

describe("first response time in business hours over a year of many split-shift teams", () => {
  // Sixteen teams, each open 09–13 and 15–19 on weekdays and 09–13 on Saturdays, over a year: ~10k windows, ~14 bytes
  // each in each of three arrays. A ClickHouse server refuses a parameter past 128 KiB (`http_max_field_value_size`).
  const zones = ["America/Bogota", "America/Santiago", "America/Lima", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Guayaquil", "America/Caracas", "America/Mexico_City"];
  const splitShift: TeamSchedule["businessHours"] = {
    ...Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [["09:00", "13:00"], ["15:00", "19:00"]]])), 6: [["09:00", "13:00"]],
  };
  const teams: TeamSchedule[] = Array.from({ length: 16 }, (_, i) => ({ teamId: randomUUID(), timeZone: zones[i % zones.length]!, businessHours: splitShift, holidays: [] }));
  const [bogota, santiago] = teams, mexico = teams.at(-1)!;
  const y = new History();
  const ask = (team: TeamSchedule, asked: string, answered: string) =>
    y.conversation({ teamId: team.teamId }).open(at(asked)).assign(at(asked), ana).agent(at(answered));
  // By hand. Bogotá (UTC−5), Fri 13 Mar 18:00 → Mon 16 Mar 09:30: Fri 1 h, Sat 4 h, Mon 30 min = 5.5 h.
  ask(bogota!, "2026-03-13T23:00:00Z", "2026-03-16T14:30:00Z");
  // Santiago, Fri 3 Apr 12:00 (UTC−3) → Mon 6 Apr 15:30 (UTC−4, DST ended on the 5th): Fri 1 + 4 h, Sat 4 h,
  // Mon 4 h + 30 min = 13.5 h.
  ask(santiago!, "2026-04-03T15:00:00Z", "2026-04-06T19:30:00Z");
  // Mexico City (UTC−6), the last team's windows, near the year's end: Wed 25 Nov 12:30 → 15:10, 30 + 10 min.
  ask(mexico, "2026-11-25T18:30:00Z", "2026-11-25T21:10:00Z");
  const businessSeconds = [5.5 * 3600, 13.5 * 3600, 40 * 60];
  const query: MetricQuery = { tenantId: y.tenantId, from: at("2025-12-01T00:00:00"), to: at("2026-12-01T00:00:00"), timeZone: "UTC", teamSchedules: teams };

  it("sends every parameter within what a server takes, and counts the same open seconds", async () => {
    await loadEvents(clickhouse.client, y.events);
    const sent: SentQuery[] = [];
    const client = watchingQueries(clickhouse.client, (q) => sent.push(q));
    expect(await metricValue(client, "first_response_time_bh_avg", query)).toBeCloseTo(mean(businessSeconds), 6);
    expect(await metricValue(client, "first_response_time_bh_avg", { ...query, filters: { teamId: mexico.teamId } })).toBe(40 * 60);
    const statements = sent.filter((q) => q.query.includes("bh_day0"));
    expect(statements).toHaveLength(2);
    const fieldBytes = statements.flatMap((q) => Object.values(q.query_params ?? {}).map((value) => Buffer.byteLength(formatQueryParams({ value }))));
    expect(Math.max(...fieldBytes)).toBeLessThanOrEqual(128 * 1024);
    // The windows did not fit one field: they went as several.
    expect(statements[0]!.query).toMatch(/arrayConcat\(\{bh_s__0:Array\(Int64\)\}, \{bh_s__1:Array\(Int64\)\}/);
  });
});
