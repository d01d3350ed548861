import type { Weekday, WeeklyHours } from "./router-types";

/** Business hours as the editor shows them and as forms post them back. Shared by the page and the action. */
export const WEEKDAYS: Weekday[] = ["1", "2", "3", "4", "5", "6", "7"];
export type Range = { start: string; end: string };
export type EditorWeek = Record<Weekday, Range[]>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A time input cannot show 24:00: the end of the day is shown (and typed) as 00:00. */
export function toEditorWeek(hours: WeeklyHours | null): EditorWeek {
  const week = {} as EditorWeek;
  for (const day of WEEKDAYS) {
    week[day] = (hours?.[day] ?? []).map(([start, end]) => ({ start, end: end === "24:00" ? "00:00" : end }));
  }
  return week;
}

/** Weekdays 09:00–18:00 and Saturday mornings: a starting point when a team stops being always open. */
export function defaultWeek(): EditorWeek {
  const week = toEditorWeek(null);
  for (const day of ["1", "2", "3", "4", "5"] as const) week[day] = [{ start: "09:00", end: "18:00" }];
  week["6"] = [{ start: "09:00", end: "13:00" }];
  return week;
}

export type HoursProblem = { day: Weekday; problem: "format" | "order" | "overlap" | "tooMany" };
export type HoursResult = { ok: true; hours: WeeklyHours } | { ok: false; problem: HoursProblem };

function parseDay(day: Weekday, starts: string[], ends: string[]): Array<[string, string]> | HoursProblem {
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < Math.max(starts.length, ends.length); i++) {
    const start = (starts[i] ?? "").trim();
    const rawEnd = (ends[i] ?? "").trim();
    if (start === "" && rawEnd === "") continue;
    if (!HHMM.test(start) || !HHMM.test(rawEnd)) return { day, problem: "format" };
    const end = rawEnd === "00:00" ? "24:00" : rawEnd;
    if (start >= end) return { day, problem: "order" };
    ranges.push([start, end]);
  }
  if (ranges.length > 8) return { day, problem: "tooMany" };
  ranges.sort((a, b) => a[0].localeCompare(b[0]));
  if (ranges.some((r, i) => i > 0 && ranges[i - 1]![1] > r[0])) return { day, problem: "overlap" };
  return ranges;
}

/**
 * Reads `hours.{day}.start` / `hours.{day}.end` pairs (repeated, in order) into the router's weekly hours.
 * Blank pairs are dropped; an end of 00:00 means midnight at the end of the day; a day with no range is closed.
 */
export function parseBusinessHours(form: Pick<FormData, "getAll">): HoursResult {
  const hours: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const read = (edge: string) => form.getAll(`hours.${day}.${edge}`).map(String);
    const ranges = parseDay(day, read("start"), read("end"));
    if (!Array.isArray(ranges)) return { ok: false, problem: ranges };
    if (ranges.length) hours[day] = ranges;
  }
  return { ok: true, hours };
}

/** "lun 09:00–13:00, 15:00–19:00" style summary pieces for the team list. */
export function openDays(hours: WeeklyHours | null): Weekday[] {
  return hours === null ? [...WEEKDAYS] : WEEKDAYS.filter((d) => (hours[d] ?? []).length > 0);
}
