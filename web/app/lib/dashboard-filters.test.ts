import { describe, expect, it } from "vitest";
import { FilterError, filtersToSearch, parseDashboardFilters, resolveWindow, startOfDay } from "./dashboard-filters";

describe("dashboard filters", () => {
  it("reads the URL, treating blank fields as no filter", () => {
    const f = parseDashboardFilters(new URLSearchParams("range=30d&teamId=&tz=America%2FBogota&territory=CDMX"));
    expect(f).toEqual({ range: "30d", tz: "America/Bogota", territory: "CDMX" });
    expect(parseDashboardFilters(new URLSearchParams(filtersToSearch(f)))).toEqual(f);
  });

  it("refuses bad input with a code instead of guessing", () => {
    for (const bad of ["range=forever", "tz=Mars/Olympus", "teamId=1;DROP", "range=custom&from=2026-03-10&to=2026-03-01", "range=custom"]) {
      expect(() => parseDashboardFilters(new URLSearchParams(bad)), bad).toThrow(FilterError);
    }
  });

  it("starts days at local midnight, across a DST change", () => {
    expect(startOfDay("2026-03-02", "America/Mexico_City").toISOString()).toBe("2026-03-02T06:00:00.000Z");
    expect(startOfDay("2026-03-02", "America/Bogota").toISOString()).toBe("2026-03-02T05:00:00.000Z");
    // Santiago leaves summer time on 2026-04-05 (UTC−3 → UTC−4).
    expect(startOfDay("2026-04-04", "America/Santiago").toISOString()).toBe("2026-04-04T03:00:00.000Z");
    expect(startOfDay("2026-04-06", "America/Santiago").toISOString()).toBe("2026-04-06T04:00:00.000Z");
  });

  it("covers whole local days up to now and compares with the same span before", () => {
    const now = new Date("2026-03-10T18:30:00Z"); // 12:30 in Mexico City
    const week = resolveWindow({ range: "7d" }, "America/Mexico_City", now);
    expect(week.from.toISOString()).toBe("2026-03-04T06:00:00.000Z");
    expect([week.to, week.toIsNow]).toEqual([now, true]);
    expect(week.previousFrom.toISOString()).toBe("2026-02-25T06:00:00.000Z");
    expect(week.previousTo.toISOString()).toBe("2026-03-03T18:30:00.000Z");
    expect(week.bucket).toBe("day");
    const today = resolveWindow({ range: "today" }, "America/Mexico_City", now);
    expect([today.from.toISOString(), today.previousTo.toISOString(), today.bucket]).toEqual(["2026-03-10T06:00:00.000Z", "2026-03-09T18:30:00.000Z", "hour"]);
    const custom = resolveWindow({ range: "custom", from: "2026-01-01", to: "2026-03-31" }, "America/Mexico_City", now);
    expect([custom.from.toISOString(), custom.to, custom.toIsNow, custom.bucket]).toEqual(["2026-01-01T06:00:00.000Z", now, true, "week"]);
    // A range over by local midnight, or yesterday's, ends in the past: read to its instant, not its hour's end.
    const past = resolveWindow({ range: "custom", from: "2026-03-01", to: "2026-03-07" }, "America/Mexico_City", now);
    expect([past.to.toISOString(), past.toIsNow]).toEqual(["2026-03-08T06:00:00.000Z", false]);
    expect(resolveWindow({ range: "yesterday" }, "America/Mexico_City", now).toIsNow).toBe(false);
  });
});
