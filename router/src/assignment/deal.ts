import type { Seat } from "./strategies.js";

/** A team's chats of one batch dealt together: one chat's place among them, and the one pick's seats. */
export type Deal = { seats: Seat[]; index: number; count: number };

/**
 * Who gets each of `count` chats arriving together, as that many picks one after the other would deal them:
 * `seats` is one pick's answer (at least `count` long when that many have room), best first. Round robin goes
 * down the rotation and around again while someone has a free seat. Least loaded gives each chat to the
 * fewest active chats, ties to the longest idle (never assigned first), then position and id: the pick's
 * order, where each chat dealt adds one to its agent's load and makes him the most recently assigned. Shorter
 * than `count` when the seats run out: those chats wait in the queue, as they would have.
 */
export function dealInTurn(strategy: "round_robin" | "least_loaded", seats: Seat[], count: number): string[] {
  const room = new Map(seats.map((s) => [s.id, s.capacity - s.active_chats]));
  const dealt: string[] = [];
  const give = (id: string) => {
    dealt.push(id);
    room.set(id, room.get(id)! - 1);
  };
  if (strategy === "round_robin") {
    for (let more = true; more && dealt.length < count; ) {
      more = false;
      for (const s of seats) {
        if (dealt.length >= count) break;
        if (room.get(s.id)! > 0) { give(s.id); more = true; }
      }
    }
    return dealt;
  }
  const state = seats.map((s) => ({ id: s.id, load: s.active_chats, last: s.last_us === null ? -1n : BigInt(s.last_us), position: s.position }));
  let latest = state.reduce((max, s) => (s.last > max ? s.last : max), 0n);
  while (dealt.length < count) {
    const open = state.filter((s) => room.get(s.id)! > 0);
    if (open.length === 0) break;
    const next = open.reduce((best, s) => (before(s, best) ? s : best));
    give(next.id);
    next.load++;
    next.last = ++latest;
  }
  return dealt;
}

type LeastLoadedKey = { id: string; load: number; last: bigint; position: number };
const before = (a: LeastLoadedKey, b: LeastLoadedKey) =>
  a.load !== b.load ? a.load < b.load : a.last !== b.last ? a.last < b.last : a.position !== b.position ? a.position < b.position : a.id < b.id;
