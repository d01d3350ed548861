import { isTeamOpen } from "../assignment/business-hours.js";
import type { WeeklyHours } from "../db/schema/index.js";

export type TeamHours = { timeZone: string; businessHours: WeeklyHours | null; holidays: string[] };

const MINUTE = 60_000;
/** Far enough back for any real schedule; a team open longer than this without a break counts as always open. */
const LOOKBACK_MINUTES = 3 * 24 * 60;

/**
 * Since when the team has been open without a break, or null when it is closed now. The SLA clock only
 * runs while a team is open: a customer who wrote at 20:00 starts waiting, for the SLA, when it opens at
 * 9:00. Schedules are in whole minutes, so walking back minute by minute finds the opening exactly.
 */
export function openSince(team: TeamHours | null, now: Date): Date | null {
  if (!team?.businessHours) return new Date(0);
  if (!isTeamOpen(team, now)) return null;
  let at = Math.floor(now.getTime() / MINUTE) * MINUTE;
  for (let i = 0; i < LOOKBACK_MINUTES; i++) {
    if (!isTeamOpen(team, new Date(at - MINUTE))) return new Date(at);
    at -= MINUTE;
  }
  return new Date(0);
}

/** openSince per team, computed once per job run. */
export function teamClockCache(now: Date) {
  const cache = new Map<string, Date | null>();
  return (teamId: string | null, team: TeamHours | null): Date | null => {
    const key = teamId ?? "";
    if (!cache.has(key)) cache.set(key, openSince(team, now));
    return cache.get(key)!;
  };
}
