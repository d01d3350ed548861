import { z } from "zod";

export const rangePresets = ["today", "yesterday", "7d", "30d", "90d", "custom"] as const;
export type RangePreset = (typeof rangePresets)[number];
export type Bucket = "hour" | "day" | "week";

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");
const uuid = z.uuid();
const zone = z.string().max(64).refine(isTimeZone, "unknown time zone");

const schema = z.object({
  range: z.enum(rangePresets).default("7d"),
  from: day.optional(),
  to: day.optional(),
  tz: zone.optional(),
  teamId: uuid.optional(),
  agentId: uuid.optional(),
  channelId: uuid.optional(),
  territory: z.string().trim().min(1).max(80).optional(),
  tag: z.string().trim().min(1).max(80).optional(),
}).refine((f) => f.range !== "custom" || (f.from && f.to && f.from <= f.to), { message: "a custom range needs from ≤ to", path: ["from"] });

/** What a dashboard view is filtered by; it lives in the URL so a view can be shared. */
export type DashboardFilters = z.infer<typeof schema>;

export class FilterError extends Error {
  readonly code = "invalid_filters" as const;
}

/** Empty fields are "no filter" (a form's blank select), not an error. */
export function parseDashboardFilters(params: URLSearchParams): DashboardFilters {
  const raw: Record<string, string> = {};
  for (const [key, value] of params) if (value !== "" && key in schema.shape) raw[key] = value;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new FilterError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return parsed.data;
}

export function filtersToSearch(filters: Partial<DashboardFilters>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds the zone is ahead of UTC at that instant (negative in the Americas). */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day starts in a zone; the second pass settles days whose offset changes (DST). */
export function startOfDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return new Date(guess - zoneOffsetMs(first, timeZone));
}

/** The calendar day of an instant in a zone, as YYYY-MM-DD. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** `toIsNow`: the window runs up to the present (a preset or a custom range through today), not to a past instant. */
export type ResolvedWindow = { from: Date; to: Date; toIsNow: boolean; previousFrom: Date; previousTo: Date; bucket: Bucket };

const presetDays: Record<Exclude<RangePreset, "custom" | "today" | "yesterday">, number> = { "7d": 7, "30d": 30, "90d": 90 };

/**
 * The instants a view covers, in the viewer's zone: whole local days, the current one up to now. The previous
 * period is the same span moved back by whole days (today so far vs yesterday at this hour), so "vs previous"
 * compares like with like.
 */
export function resolveWindow(filters: DashboardFilters, timeZone: string, now: Date): ResolvedWindow {
  const today = dayIn(now, timeZone);
  let from: Date;
  let to: Date;
  if (filters.range === "today") [from, to] = [startOfDay(today, timeZone), now];
  else if (filters.range === "yesterday") [from, to] = [startOfDay(addDays(today, -1), timeZone), startOfDay(today, timeZone)];
  else if (filters.range === "custom") [from, to] = [startOfDay(filters.from!, timeZone), minDate(startOfDay(addDays(filters.to!, 1), timeZone), now)];
  else [from, to] = [startOfDay(addDays(today, 1 - presetDays[filters.range]), timeZone), now];
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const shift = Math.max(1, Math.ceil(days)) * DAY_MS;
  return {
    from, to, toIsNow: to.getTime() === now.getTime(), previousFrom: new Date(from.getTime() - shift), previousTo: new Date(to.getTime() - shift),
    bucket: days <= 2 ? "hour" : days <= 62 ? "day" : "week",
  };
}

const DAY_MS = 86_400_000;
const minDate = (a: Date, b: Date) => (a < b ? a : b);
