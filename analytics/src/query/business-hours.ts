/** ISO weekday ("1" = Monday … "7" = Sunday) → [start, end) "HH:MM" local ranges; the router's `WeeklyHours`. */
export type WeeklyHours = Partial<Record<"1" | "2" | "3" | "4" | "5" | "6" | "7", Array<[string, string]>>>;

/** A team's schedule as the router stores it. `businessHours: null` means always open. */
export type TeamSchedule = { teamId: string; timeZone: string; businessHours: WeeklyHours | null; holidays: string[] };

/**
 * A team's open time as UTC windows, with the open milliseconds before each one. ClickHouse then gets
 * "business ms between a and b" as cum(b) − cum(a), a count over sorted starts, with no per-row time-zone
 * maths (its zone arguments must be constants, and a cycle's zone is its team's).
 */
export type OpenWindows = { starts: number[]; ends: number[]; openBefore: number[] };

const DAY_MS = 86_400_000;
const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function zoneOffsetMs(at: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    offsetFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a wall-clock reading (local date at midnight + minutes) happens in a zone; DST-aware. */
export function zonedToUtc(localMidnightUtc: number, minutes: number, timeZone: string): number {
  const wall = localMidnightUtc + minutes * 60_000;
  // Two passes settle the offset on both sides of a DST change.
  let guess = wall - zoneOffsetMs(wall, timeZone);
  guess = wall - zoneOffsetMs(guess, timeZone);
  return guess;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const isoDate = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);
/** ISO weekday of a date whose UTC midnight is given (the date is a local calendar date here). */
const isoWeekday = (utcMidnight: number) => String(((new Date(utcMidnight).getUTCDay() + 6) % 7) + 1) as keyof WeeklyHours;

/** Open windows of one team for every local day touching [from, to]; holidays are closed all day. */
export function openWindows(schedule: TeamSchedule, from: Date, to: Date): OpenWindows {
  const hours = schedule.businessHours ?? {};
  const holidays = new Set(schedule.holidays);
  const firstDay = Math.floor((from.getTime() - DAY_MS) / DAY_MS) * DAY_MS;
  const lastDay = Math.floor((to.getTime() + DAY_MS) / DAY_MS) * DAY_MS;
  const windows: OpenWindows = { starts: [], ends: [], openBefore: [] };
  let open = 0;
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    if (holidays.has(isoDate(day))) continue;
    const ranges = [...(hours[isoWeekday(day)] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [start, end] of ranges) {
      const s = zonedToUtc(day, toMinutes(start), schedule.timeZone);
      const e = zonedToUtc(day, toMinutes(end), schedule.timeZone);
      if (e <= s) continue;
      windows.starts.push(s);
      windows.ends.push(e);
      windows.openBefore.push(open);
      open += e - s;
    }
  }
  return windows;
}

/**
 * Query parameters for the "_bh" variants. Teams without a schedule are left out (always open). Windows reach
 * `horizonDays` past the range so a response after its end still counts its business time.
 */
export function businessHoursParams(schedules: TeamSchedule[] | undefined, from: Date, to: Date, horizonDays = 14) {
  const scheduled = (schedules ?? []).filter((s) => s.businessHours !== null);
  const until = new Date(to.getTime() + horizonDays * DAY_MS);
  const windows = scheduled.map((s) => openWindows(s, from, until));
  return {
    bh_teams: scheduled.map((s) => s.teamId),
    bh_starts: windows.map((w) => w.starts),
    bh_ends: windows.map((w) => w.ends),
    bh_before: windows.map((w) => w.openBefore),
  };
}

/** Business milliseconds between two instants, in TypeScript: the reference the SQL version is tested against. */
export function businessMs(w: OpenWindows, a: number, b: number): number {
  const cumulative = (x: number) => {
    const i = w.starts.filter((s) => s <= x).length;
    return i === 0 ? 0 : w.openBefore[i - 1]! + Math.min(x, w.ends[i - 1]!) - w.starts[i - 1]!;
  };
  return cumulative(b) - cumulative(a);
}
