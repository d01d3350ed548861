import type { WeeklyHours } from "../db/schema/index.js";

type TeamHours = { timeZone: string; businessHours: WeeklyHours | null; holidays: string[] };

const weekdayIndex: Record<string, string> = { Mon: "1", Tue: "2", Wed: "3", Thu: "4", Fri: "5", Sat: "6", Sun: "7" };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone, weekday: "short", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone: ISO weekday, local date and "HH:MM". */
export function localTime(at: Date, timeZone: string): { weekday: string; date: string; hhmm: string } {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: weekdayIndex[parts.weekday ?? ""] ?? "1",
    date: `${parts.year}-${parts.month}-${parts.day}`,
    hhmm: `${parts.hour}:${parts.minute}`,
  };
}

/** A team without a schedule is always open; holidays (local dates) are closed all day. */
export function isTeamOpen(team: TeamHours, at: Date): boolean {
  if (!team.businessHours) return true;
  const local = localTime(at, team.timeZone);
  if (team.holidays.includes(local.date)) return false;
  const ranges = team.businessHours[local.weekday as keyof WeeklyHours] ?? [];
  return ranges.some(([start, end]) => local.hhmm >= start && local.hhmm < end);
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
