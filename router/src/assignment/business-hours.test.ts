import { describe, expect, it } from "vitest";
import { isTeamOpen, localTime } from "./business-hours.js";

const nineToSix: Array<[string, string]> = [["09:00", "18:00"]];
const weekdays = { "1": nineToSix, "2": nineToSix, "3": nineToSix, "4": nineToSix, "5": nineToSix };

describe("business hours in the team's zone", () => {
  const mx = { timeZone: "America/Mexico_City", businessHours: weekdays, holidays: ["2026-03-16"] };

  it("reads the wall clock of the zone", () => {
    // Monday 2 March 2026, 15:00 UTC = 09:00 in Mexico City (UTC-6, no DST since 2022).
    expect(localTime(new Date("2026-03-02T15:00:00Z"), "America/Mexico_City")).toEqual({ weekday: "1", date: "2026-03-02", hhmm: "09:00" });
  });

  it.each([
    ["2026-03-02T14:59:00Z", false], // 08:59 Monday
    ["2026-03-02T15:00:00Z", true], // 09:00 Monday: opens
    ["2026-03-03T00:00:00Z", false], // 18:00 Monday: closed (end exclusive)
    ["2026-03-03T02:00:00Z", false], // 20:00 Monday
    ["2026-03-07T17:00:00Z", false], // Saturday 11:00
    ["2026-03-16T17:00:00Z", false], // Monday holiday
  ])("Mexico City at %s open=%s", (at, open) => {
    expect(isTeamOpen(mx, new Date(at))).toBe(open);
  });

  it("follows DST in a zone that has it (Santiago, UTC-3 in summer, UTC-4 in winter)", () => {
    const cl = { timeZone: "America/Santiago", businessHours: weekdays, holidays: [] };
    expect(isTeamOpen(cl, new Date("2026-01-05T12:00:00Z"))).toBe(true); // 09:00 CLST
    expect(isTeamOpen(cl, new Date("2026-07-06T12:00:00Z"))).toBe(false); // 08:00 CLT
    expect(isTeamOpen(cl, new Date("2026-07-06T13:00:00Z"))).toBe(true); // 09:00 CLT
  });

  it("a team without a schedule is always open", () => {
    expect(isTeamOpen({ timeZone: "America/Bogota", businessHours: null, holidays: [] }, new Date("2026-03-08T03:00:00Z"))).toBe(true);
  });
});
