import type { Random } from "../channels/whatsapp/simulator/types.js";

const HOUR_MS = 3600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * HOUR_MS;

// Building an Intl formatter costs far more than using one; the generator asks the same zones thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: string, timeZone: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  const key = `${kind}:${timeZone}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** Minutes a zone is ahead of UTC at an instant (negative west of Greenwich), read from Intl. */
function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const parts = formatter("parts", timeZone, () => new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  })).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / MINUTE_MS);
}

/** The instant of a wall-clock time in a zone; twice-corrected so a DST change on that day lands right. */
export function zonedInstant(timeZone: string, day: string, minutesIntoDay: number): Date {
  const naive = Date.parse(`${day}T00:00:00Z`) + minutesIntoDay * MINUTE_MS;
  let guess = naive - zoneOffsetMinutes(timeZone, new Date(naive)) * MINUTE_MS;
  guess = naive - zoneOffsetMinutes(timeZone, new Date(guess)) * MINUTE_MS;
  return new Date(guess);
}

/** The local calendar date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(timeZone: string, at: Date): string {
  return formatter("date", timeZone, () => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })).format(at);
}

export function localHour(timeZone: string, at: Date): number {
  return Number(formatter("hour", timeZone, () => new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", hour: "2-digit" })).format(at));
}

/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const d = new Date(`${day}T12:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The `days` local dates ending the day before `today` (in the zone), oldest first. */
export function historyDays(timeZone: string, days: number, now: Date): string[] {
  const yesterday = addDays(localDate(timeZone, now), -1);
  return Array.from({ length: days }, (_, i) => addDays(yesterday, i - days + 1));
}

// Relative demand per local hour: a weekday peaks late morning, dips at lunch, has a second wind after it
// and a long quiet night; weekends are flatter, later and smaller (the volume scale says how much smaller).
const weekdayShape = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2.5, 5, 9, 11, 12, 10, 7, 6, 8, 9, 8, 6, 4.5, 3.5, 3, 2, 1.5];
const weekendShape = [2, 1, 0.5, 0.3, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 5, 5, 4.5, 4, 4, 3.5, 3, 3, 2.5, 2];

/** A minute of the day drawn from the day's demand curve. */
export function arrivalMinute(random: Random, weekday: number): number {
  const shape = weekday >= 6 ? weekendShape : weekdayShape;
  const total = shape.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let hour = 0; hour < 24; hour++) {
    r -= shape[hour]!;
    if (r < 0) return hour * 60 + Math.floor(random() * 60);
  }
  return 23 * 60 + Math.floor(random() * 60);
}

/** How many conversations start on a day: the weekday range, a Saturday at ~35 % and a Sunday at ~20 % of it. */
export function dayVolume(random: Random, weekday: number, perWeekday: { min: number; max: number }): number {
  const base = perWeekday.min + random() * (perWeekday.max - perWeekday.min);
  const scale = weekday === 6 ? 0.35 : weekday === 7 ? 0.2 : 1;
  return Math.max(0, Math.round(base * scale));
}
