import { DomainError } from "../errors.js";

export type Frequency = "daily" | "weekly" | "monthly";
/** A report's period: whole local days [from, to) in the schedule's zone, named by its frequency and first day. */
export type Period = { key: string; from: Date; to: Date; firstDay: string; lastDay: string };

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric",
  }).formatToParts(new Date(at));
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** The instant a local calendar day (YYYY-MM-DD) starts in a zone; two passes settle DST changes. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const guess = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(guess, timeZone));
}

export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

const shift = (day: string, days: number, months = 0) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
};
const isoWeekday = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

function periodFrom(frequency: Frequency, firstDay: string, timeZone: string): Period {
  const next = frequency === "daily" ? shift(firstDay, 1) : frequency === "weekly" ? shift(firstDay, 7) : shift(firstDay, 0, 1);
  return { key: `${frequency}:${firstDay}`, from: startOfLocalDay(firstDay, timeZone), to: startOfLocalDay(next, timeZone), firstDay, lastDay: shift(next, -1) };
}

/** The last complete period at `now` in the zone: yesterday, last Monday–Sunday, or last calendar month. */
export function lastCompletePeriod(frequency: Frequency, timeZone: string, now: Date): Period {
  const today = localDay(now, timeZone);
  if (frequency === "daily") return periodFrom("daily", shift(today, -1), timeZone);
  if (frequency === "weekly") return periodFrom("weekly", shift(today, 1 - isoWeekday(today) - 7), timeZone);
  return periodFrom("monthly", `${shift(`${today.slice(0, 7)}-01`, 0, -1)}`, timeZone);
}

/** Reads a period key back ("weekly:2026-02-23"); refuses one that is not the start of such a period. */
export function parsePeriodKey(key: string, timeZone: string): Period {
  const match = /^(daily|weekly|monthly):(\d{4}-\d{2}-\d{2})$/.exec(key);
  const bad = () => new DomainError("invalid_input", `Not a report period: ${key}`);
  if (!match) throw bad();
  const [, frequency, firstDay] = match as unknown as [string, Frequency, string];
  if (Number.isNaN(Date.parse(`${firstDay}T00:00:00Z`)) || shift(firstDay, 0) !== firstDay) throw bad();
  if (frequency === "weekly" && isoWeekday(firstDay) !== 1) throw bad();
  if (frequency === "monthly" && !firstDay.endsWith("-01")) throw bad();
  return periodFrom(frequency, firstDay, timeZone);
}
