import type { Seat } from "./strategies.js";

/** A team's part in a batch's deal: how it deals now (null: it doesn't), its one pick, and whether that pick holds every member with room. */
export type TeamToDeal = { strategy: "round_robin" | "least_loaded" | null; seats: Seat[]; complete: boolean };

/** A chat's deal: its agent; null when nobody has room; "later" when its team's pick ran out while members it did not fetch may have room. */
export type Dealing = { to: string } | null | "later";

type AgentState = { room: number; load: number; last: bigint };
type Key = { load: number; last: bigint; position: number; id: string };

const before = (a: Key, b: Key) =>
  a.load !== b.load ? a.load < b.load : a.last !== b.last ? a.last < b.last : a.position !== b.position ? a.position < b.position : a.id < b.id;

/**
 * Who gets each chat of a batch (`chats`: each chat's team, an index into `teams`, in arrival order), as picks
 * one after the other would deal them: each team deals from its one pick (best first), and an agent's room,
 * load and last assignment are shared by every team he is in, so a chat one team gives him counts for the
 * next team's pick. Round robin goes down the team's rotation and around again while someone has a free seat.
 * Least loaded gives the fewest active chats, ties to the longest idle (never assigned first), then position
 * and id, where each chat dealt adds one to its agent's load and makes him the most recently assigned. When a
 * pick that did not hold every member runs out (other teams took its seats), the chat is left for `later`.
 */
export function dealAcross(teams: TeamToDeal[], chats: number[]): Dealing[] {
  const agents = new Map<string, AgentState>();
  let latest = 0n;
  for (const t of teams) {
    for (const s of t.seats) {
      const last = s.last_us === null ? -1n : BigInt(s.last_us);
      if (last > latest) latest = last;
      if (!agents.has(s.id)) agents.set(s.id, { room: s.capacity - s.active_chats, load: s.active_chats, last });
    }
  }
  const cursors = teams.map(() => 0);
  return chats.map((t) => {
    const team = teams[t]!;
    if (!team.strategy) return null;
    const dealt = team.strategy === "round_robin" ? nextInRotation(team, cursors, t, agents) : leastLoaded(team, agents);
    if (dealt === null || dealt === "later") return dealt;
    const agent = agents.get(dealt.to)!;
    agent.room--;
    agent.load++;
    agent.last = ++latest;
    return dealt;
  });
}

function nextInRotation(team: TeamToDeal, cursors: number[], t: number, agents: Map<string, AgentState>): Dealing {
  const { seats } = team;
  for (let step = 0; step < seats.length; step++) {
    const i = cursors[t]! + step;
    if (i >= seats.length && !team.complete) return "later"; // around again only over the whole rotation
    const seat = seats[i % seats.length]!;
    if (agents.get(seat.id)!.room > 0) {
      cursors[t] = (i % seats.length) + 1;
      return { to: seat.id };
    }
  }
  return team.complete ? null : "later";
}

function leastLoaded(team: TeamToDeal, agents: Map<string, AgentState>): Dealing {
  let best: Key | undefined;
  for (const s of team.seats) {
    const a = agents.get(s.id)!;
    const key = { load: a.load, last: a.last, position: s.position, id: s.id };
    if (a.room > 0 && (!best || before(key, best))) best = key;
  }
  if (team.complete) return best ? { to: best.id } : null;
  // Members the pick did not fetch rank after its last seat as it was fetched: the best left must still rank before it.
  const last = team.seats.at(-1);
  const bound = last && { load: last.active_chats, last: last.last_us === null ? -1n : BigInt(last.last_us), position: last.position, id: last.id };
  return best && bound && !before(bound, best) ? { to: best.id } : "later";
}

/** One team's `count` chats dealt from its pick: `dealAcross` for a team alone whose pick holds every member with room. */
export function dealInTurn(strategy: "round_robin" | "least_loaded", seats: Seat[], count: number): string[] {
  return dealAcross([{ strategy, seats, complete: true }], Array<number>(count).fill(0)).flatMap((d) => (d && d !== "later" ? [d.to] : []));
}
