import type { LockedTeam, Seat } from "../assignment/strategies.js";
import type { Deal } from "../assignment/deal.js";

/**
 * One message's place in its team's queue within a batch: `ready` once it may assign; `done` once its
 * assignment is sent; `team`, the team's row as the batch locked it; `deal`, its dealt seat, or null when its
 * team's chats go one after the other.
 */
export type TeamTurn = { ready: Promise<void>; done: () => void; team: Promise<LockedTeam | undefined>; deal: Promise<Deal | null> };

type Group = { dealable: boolean; finished: Array<Promise<void>>; seats?: Promise<Seat[]> };

/**
 * Messages of one batch share a transaction, so the team row lock alone no longer orders their assignments,
 * and several teams locked in arrival order would deadlock against another batch locking them in another.
 * So once every message of the batch has found its conversation (each calls `join` once, with null when it
 * assigns nothing), the batch locks all its teams at once in id order. Then a team's chats are dealt together
 * from one pick (`deal.ts`) and all sent in one round trip, in join order, as picks one after the other would
 * have dealt them (so round robin's pointer ends on the last one).
 * A team with a sticky chat (the customer's previous agent first) goes one after the other instead: each pick
 * is sent right behind the previous chat's assignment, so it sees it.
 */
export class TeamTurns {
  private readonly groups = new Map<string, Group>();
  private arrived = 0;
  /** Resolves once the batch's team locks (and picks) are sent: what follows runs after they are granted. */
  private readonly locking: Promise<void>;
  private locked: Promise<Map<string, LockedTeam>> = Promise.resolve(new Map());
  private lockNow!: () => void;

  constructor(
    private readonly expected: number,
    lockTeams: (ids: string[]) => Promise<Map<string, LockedTeam>>,
    pickSeats: (teamId: string, count: number) => Promise<Seat[]>,
  ) {
    const go = new Promise<void>((resolve) => (this.lockNow = resolve));
    this.locking = go.then(() => {
      if (this.groups.size === 0) return;
      this.locked = lockTeams([...this.groups.keys()].sort());
      this.locked.catch(() => {}); // a failure aborts the transaction: every later statement fails too
      for (const [teamId, group] of this.groups) {
        if (!group.dealable) continue;
        group.seats = pickSeats(teamId, group.finished.length + 4); // spares for an agent who refuses
        group.seats.catch(() => {});
      }
    });
  }

  /** `dealable`: the chat takes whoever its team's strategy deals (no sticky agent to try first). */
  join(teamId: string | null, dealable = true): TeamTurn | undefined {
    const group = teamId ? this.groups.get(teamId) ?? { dealable: true, finished: [] } : undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const index = group?.finished.length ?? 0;
    if (group) {
      group.dealable &&= dealable;
      group.finished.push(finished);
      this.groups.set(teamId!, group);
    }
    if (++this.arrived === this.expected) this.lockNow();
    if (!group) return undefined;
    const count = () => group.finished.length;
    return {
      // Chats of a team are sent in join order, each behind the previous one's assignment (no round trip when dealt).
      ready: this.locking.then(() => (index === 0 ? undefined : group.finished[index - 1])),
      done,
      team: this.locking.then(() => this.locked).then((teams) => teams.get(teamId!)),
      deal: this.locking.then(async () => (group.seats ? { seats: await group.seats, index, count: count() } : null)),
    };
  }
}
