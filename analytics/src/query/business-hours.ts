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
  let midnight = zonedToUtc(firstDay, 0, schedule.timeZone);
  for (let day = firstDay; day <= lastDay; day += DAY_MS) {
    // A day whose two midnights have one offset has it all day long: its windows need no lookup of their own
    // (Intl is ~5 µs a call, and a board asked for 30 days of 20 teams' windows took 30 ms).
    const nextMidnight = zonedToUtc(day + DAY_MS, 0, schedule.timeZone);
    const offset = day - midnight;
    const steady = day + DAY_MS - nextMidnight === offset;
    const instant = (hhmm: string) => (steady ? day + toMinutes(hhmm) * 60_000 - offset : zonedToUtc(day, toMinutes(hhmm), schedule.timeZone));
    midnight = nextMidnight;
    if (holidays.has(isoDate(day))) continue;
    const ranges = [...(hours[isoWeekday(day)] ?? [])].sort((a, b) => a[0].localeCompare(b[0]));
    for (const [start, end] of ranges) {
      const s = instant(start);
      const e = instant(end);
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
 * The scheduled teams' windows as ClickHouse reads them, in constant time a row. Per row, indexing an array picked by
 * the row's team copied that array into the row, and counting the starts before an instant walked it: 150 ms more for
 * the response board at 330k cycles and 3 teams of 69 windows. Here every team's windows are one flat array, and a
 * table per (team, UTC day) gives where the team's last window before the day is: an instant's last window is found
 * with `perDay` comparisons, the most windows a team starts in a day. cum(x) = bh_c[i] + min(x, bh_e[i]), i the last
 * window started by x, bh_c = open ms before the window − its start.
 *
 * Position 0 of the table is every team not scheduled (always open: one window from 0 to the end of time, cum(x) = x).
 * Each team's windows come after an empty one (cum 0: none started yet) and before `perDay` starting at the end of
 * time, which no comparison passes: no row needs to know where its team's windows end.
 */
export type BusinessHoursLookup = {
  params: {
    bh_teams: string[]; bh_s: number[]; bh_e: number[]; bh_c: number[];
    /** The first UTC day (ms) of the table, and its length in days. */
    bh_day0: number; bh_days: number;
    /** At [t · bh_days + d + 1], t the team's place in `bh_teams` (1-based, 0 for the others), d the day from bh_day0. */
    bh_base: number[];
  };
  perDay: number;
};

/** Past any instant a cycle has (year 287396), and exact as a JavaScript number. */
const END_OF_TIME = Number.MAX_SAFE_INTEGER;

/** For each day from `day0`: how many of the windows started before it, and the most that start in one day. */
function startsBeforeEachDay(w: OpenWindows, day0: number, days: number): { before: number[]; perDay: number } {
  const before: number[] = [];
  let started = 0, perDay = 0;
  for (let d = 0; d < days; d++) {
    const dayStart = day0 + d * DAY_MS;
    while (started < w.starts.length && w.starts[started]! < dayStart) started++;
    let inDay = started;
    while (inDay < w.starts.length && w.starts[inDay]! < dayStart + DAY_MS) inDay++;
    before.push(started);
    perDay = Math.max(perDay, inDay - started);
  }
  return { before, perDay };
}

function flatLookup(teams: string[], windows: OpenWindows[], from: Date): BusinessHoursLookup {
  const starts = windows.flatMap((w) => w.starts);
  const day0 = Math.floor(starts.reduce((a, b) => Math.min(a, b), from.getTime()) / DAY_MS) * DAY_MS;
  const days = Math.floor((starts.reduce((a, b) => Math.max(a, b), day0) - day0) / DAY_MS) + 1;
  const counts = windows.map((w) => startsBeforeEachDay(w, day0, days));
  const perDay = counts.reduce((most, { perDay: n }) => Math.max(most, n), 0);
  // Every comparison a row makes stays in its team's windows or the ones at the end of time closing them.
  const closing = Array.from({ length: perDay }, () => END_OF_TIME);
  const s = [0, ...closing], e = [END_OF_TIME, ...closing.map(() => 0)], c = [0, ...closing.map(() => 0)];
  const base: number[] = Array.from({ length: days }, () => 1);
  windows.forEach((w, t) => {
    const empty = s.length + 1;
    s.push(0, ...w.starts, ...closing);
    e.push(0, ...w.ends, ...closing.map(() => 0));
    c.push(0, ...w.starts.map((start, i) => w.openBefore[i]! - start), ...closing.map(() => 0));
    base.push(...counts[t]!.before.map((n) => empty + n));
  });
  return { params: { bh_teams: teams, bh_s: s, bh_e: e, bh_c: c, bh_day0: day0, bh_days: days, bh_base: base }, perDay };
}

/** Days of windows past a range's end: a response after the end still counts its business time. */
export const BUSINESS_HOURS_HORIZON_DAYS = 14;

/** The last lookup built for a schedules array (a board's panels all ask for the same one). */
const lastLookup = new WeakMap<TeamSchedule[], { key: string; lookup: BusinessHoursLookup }>();

/**
 * The lookup for the "_bh" variants. Teams without a schedule are left out (always open). Windows reach `horizonDays`
 * past the range so a response after its end still counts its business time. Kept per schedules array (its identity):
 * a caller whose schedules change passes a new array, as the web app does with each request's.
 */
export function businessHoursLookup(schedules: TeamSchedule[] | undefined, from: Date, to: Date, horizonDays = BUSINESS_HOURS_HORIZON_DAYS): BusinessHoursLookup {
  const scheduled = (schedules ?? []).filter((s) => s.businessHours !== null);
  if (!schedules || scheduled.length === 0) return flatLookup([], [], from);
  const key = `${from.getTime()}|${to.getTime()}|${horizonDays}`;
  const last = lastLookup.get(schedules);
  if (last?.key === key) return last.lookup;
  const until = new Date(to.getTime() + horizonDays * DAY_MS);
  const lookup = flatLookup(scheduled.map((s) => s.teamId), scheduled.map((s) => openWindows(s, from, until)), from);
  lastLookup.set(schedules, { key, lookup });
  return lookup;
}

/** Business milliseconds between two instants, in TypeScript: the reference the SQL version is tested against. */
export function businessMs(w: OpenWindows, a: number, b: number): number {
  const cumulative = (x: number) => {
    const i = w.starts.filter((s) => s <= x).length;
    return i === 0 ? 0 : w.openBefore[i - 1]! + Math.min(x, w.ends[i - 1]!) - w.starts[i - 1]!;
  };
  return cumulative(b) - cumulative(a);
}
