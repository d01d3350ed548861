import { describe, expect, it } from "vitest";
import { businessHoursLookup, businessMs, openWindows, zonedToUtc, type TeamSchedule } from "./business-hours.js";

const weekdays9to18 = { 1: [["09:00", "18:00"]], 2: [["09:00", "18:00"]], 3: [["09:00", "18:00"]], 4: [["09:00", "18:00"]], 5: [["09:00", "18:00"]] } as TeamSchedule["businessHours"];
const santiago: TeamSchedule = { teamId: "t-cl", timeZone: "America/Santiago", businessHours: weekdays9to18, holidays: [] };
const utc = (s: string) => Date.parse(s);

describe("business-hour windows", () => {
  it("turns local wall-clock times into instants on both sides of a DST change", () => {
    // Santiago leaves summer time on Sunday 2026-04-05: UTC−3 before, UTC−4 after.
    expect(zonedToUtc(utc("2026-04-03T00:00:00Z"), 9 * 60, "America/Santiago")).toBe(utc("2026-04-03T12:00:00Z"));
    expect(zonedToUtc(utc("2026-04-06T00:00:00Z"), 9 * 60, "America/Santiago")).toBe(utc("2026-04-06T13:00:00Z"));
  });

  it("opens only on scheduled weekdays, skips holidays, and counts business time between two instants", () => {
    const w = openWindows({ ...santiago, holidays: ["2026-04-07"] }, new Date("2026-04-03T00:00:00Z"), new Date("2026-04-08T00:00:00Z"));
    const localDays = w.starts.map((s) => new Date(s).toISOString().slice(0, 16));
    // Fri 3rd (−3), Mon 6th (−4); Sat, Sun closed, Tue 7th a holiday, and the day before/after the range included.
    expect(localDays).toEqual(["2026-04-02T12:00", "2026-04-03T12:00", "2026-04-06T13:00", "2026-04-08T13:00", "2026-04-09T13:00"]);
    // Friday 17:30 local → Monday 09:15 local: 30 min on Friday + 15 min on Monday.
    expect(businessMs(w, utc("2026-04-03T20:30:00Z"), utc("2026-04-06T13:15:00Z"))).toBe(45 * 60_000);
    expect(businessMs(w, utc("2026-04-04T15:00:00Z"), utc("2026-04-05T15:00:00Z"))).toBe(0);
  });

  it("leaves always-open teams out of the parameters", () => {
    const { params } = businessHoursLookup([santiago, { teamId: "t-any", timeZone: "UTC", businessHours: null, holidays: [] }], new Date("2026-04-03T00:00:00Z"), new Date("2026-04-04T00:00:00Z"));
    expect(params.bh_teams).toEqual(["t-cl"]);
    expect(params.bh_base.length).toBe(2 * params.bh_days);
  });

  it("places every window where a lookup of its own wall-clock time does, on days with and without a DST change", () => {
    const nightAndDay = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "01:00"], ["01:30", "03:00"], ["09:00", "18:00"], ["23:00", "23:59"]]])) as TeamSchedule["businessHours"];
    for (const timeZone of ["America/Santiago", "America/New_York", "America/Sao_Paulo", "America/Mexico_City", "Europe/Madrid"]) {
      const from = new Date("2026-03-01T00:00:00Z"), to = new Date("2026-11-30T00:00:00Z");
      const w = openWindows({ teamId: "t", timeZone, businessHours: nightAndDay, holidays: [] }, from, to);
      const expected: number[] = [];
      for (let day = Date.parse("2026-02-28T00:00:00Z"); day <= Date.parse("2026-12-01T00:00:00Z"); day += 86_400_000) {
        for (const [start, end] of nightAndDay!["1"]!) {
          const s = zonedToUtc(day, Number(start.slice(0, 2)) * 60 + Number(start.slice(3)), timeZone);
          if (zonedToUtc(day, Number(end.slice(0, 2)) * 60 + Number(end.slice(3)), timeZone) > s) expected.push(s);
        }
      }
      expect(w.starts, timeZone).toEqual(expected);
    }
  });
});
