import { describe, expect, it } from "vitest";
import { defaultWeek, openDays, parseBusinessHours, toEditorWeek } from "./admin-hours";

const form = (pairs: Array<[string, string]>) => {
  const f = new FormData();
  for (const [k, v] of pairs) f.append(k, v);
  return f;
};

describe("business hours form", () => {
  it("reads several ranges per weekday, sorted, and leaves days without ranges closed", () => {
    const result = parseBusinessHours(form([
      ["hours.1.start", "15:00"], ["hours.1.end", "19:00"], ["hours.1.start", "09:00"], ["hours.1.end", "13:00"],
      ["hours.6.start", "10:00"], ["hours.6.end", "14:00"],
    ]));
    expect(result).toEqual({ ok: true, hours: { 1: [["09:00", "13:00"], ["15:00", "19:00"]], 6: [["10:00", "14:00"]] } });
  });

  it("takes an end of 00:00 as midnight (24:00) and shows 24:00 back as 00:00", () => {
    expect(parseBusinessHours(form([["hours.5.start", "18:00"], ["hours.5.end", "00:00"]]))).toEqual({ ok: true, hours: { 5: [["18:00", "24:00"]] } });
    expect(toEditorWeek({ 5: [["18:00", "24:00"]] })["5"]).toEqual([{ start: "18:00", end: "00:00" }]);
  });

  it("drops blank pairs and names the day of a bad range", () => {
    expect(parseBusinessHours(form([["hours.2.start", ""], ["hours.2.end", ""]]))).toEqual({ ok: true, hours: {} });
    expect(parseBusinessHours(form([["hours.3.start", "9:00"], ["hours.3.end", "18:00"]]))).toEqual({ ok: false, problem: { day: "3", problem: "format" } });
    expect(parseBusinessHours(form([["hours.4.start", "18:00"], ["hours.4.end", "09:00"]]))).toEqual({ ok: false, problem: { day: "4", problem: "order" } });
    expect(parseBusinessHours(form([
      ["hours.7.start", "09:00"], ["hours.7.end", "13:00"], ["hours.7.start", "12:00"], ["hours.7.end", "15:00"],
    ]))).toEqual({ ok: false, problem: { day: "7", problem: "overlap" } });
  });

  it("summarises open days; null hours are always open", () => {
    expect(openDays(null)).toHaveLength(7);
    expect(openDays({ 1: [["09:00", "18:00"]], 2: [] })).toEqual(["1"]);
    expect(openDays(Object.fromEntries(Object.entries(defaultWeek()).map(([d, r]) => [d, r.map((x) => [x.start, x.end] as [string, string])])))).toEqual(["1", "2", "3", "4", "5", "6"]);
  });
});
