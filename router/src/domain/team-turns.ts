import type { LockedTeam, Seat } from "../assignment/strategies.js";
import { dealAcross, type Dealing } from "../assignment/deal.js";

/**
 * One new chat's place in its team's queue within a batch: `ready` once it may be stored; `done` once its
 * store is sent; `place`, its place among the batch's turns; `team`, the team's row as the batch locked it; `dealt`, what the batch's deal gives it (`deal.ts`).
 */
export type TeamTurn = { place: number; ready: Promise<void>; done: () => void; team: Promise<LockedTeam | undefined>; dealt: Promise<Dealing> };

type Group = { finished: Array<Promise<void>>; seats?: Promise<Seat[]>; limit?: number };

/**
 * Messages of one batch share a transaction, so the team row lock alone no longer orders their assignments,
 * and several teams locked in arrival order would deadlock against another batch locking them in another.
 * So once every message of the batch has found its conversation (each calls `join` once, with null when it
 * is dealt nothing, once its own write is sent), the batch locks all its teams at once in id order. Then the
 * batch's new chats are dealt together, each team from one pick, in join order (`deal.ts`), as picks one after
 * the other would have dealt them (so round robin's pointer ends on the last one), and stored in join order.
 */
export class TeamTurns {
  private readonly groups = new Map<string, Group>();
  private arrived = 0;
  /** Resolves once the batch's team locks (and picks) are sent: what follows runs after they are granted. */
  private readonly locking: Promise<void>;
  private locked: Promise<Map<string, LockedTeam>> = Promise.resolve(new Map());
  /** Each turn's team, in join order. */
  private readonly order: string[] = [];
  private dealing: Promise<Dealing[]> = Promise.resolve([]);
  private lockNow!: () => void;

  constructor(
    private readonly expected: number,
    lockTeams: (ids: string[]) => Promise<Map<string, LockedTeam>>,
    pickSeats: (teamId: string, count: number) => Promise<Seat[]>,
    /** How a locked team deals now: its strategy, or null when it hands out nothing. */
    dealsNow: (team: LockedTeam | undefined) => "round_robin" | "least_loaded" | null,
    /** Told how many turns the batch hands out, once every message has joined. */
    onTurns: (count: number) => void = () => {},
  ) {
    const go = new Promise<void>((resolve) => (this.lockNow = resolve));
    this.locking = go.then(() => {
      onTurns([...this.groups.values()].reduce((n, g) => n + g.finished.length, 0));
      if (this.groups.size === 0) return;
      this.locked = lockTeams([...this.groups.keys()].sort());
      this.locked.catch(() => {}); // a failure aborts the transaction: every later statement fails too
      for (const [teamId, group] of this.groups) {
        group.limit = group.finished.length + 4; // spares for an agent who refuses
        group.seats = pickSeats(teamId, group.limit);
        group.seats.catch(() => {});
      }
      this.dealing = this.dealAll(dealsNow);
      this.dealing.catch(() => {});
    });
  }

  /** A new chat of `teamId` for its team to deal; null for a message dealt nothing. */
  join(teamId: string | null): TeamTurn | undefined {
    const group = teamId ? this.groups.get(teamId) ?? { finished: [] } : undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const index = group?.finished.length ?? 0;
    const turn = this.order.length;
    if (group) {
      group.finished.push(finished);
      this.groups.set(teamId!, group);
      this.order.push(teamId!);
    }
    if (++this.arrived === this.expected) this.lockNow();
    if (!group) return undefined;
    return {
      // Chats of a team are stored in join order, each right behind the previous one's statement.
      ready: this.locking.then(() => (index === 0 ? undefined : group.finished[index - 1])),
      place: turn,
      done,
      team: this.locking.then(() => this.locked).then((teams) => teams.get(teamId!)),
      dealt: this.locking.then(() => this.dealing).then((dealt) => dealt[turn]!),
    };
  }

  private async dealAll(dealsNow: (team: LockedTeam | undefined) => "round_robin" | "least_loaded" | null): Promise<Dealing[]> {
    const ids = [...this.groups.keys()];
    const [teams, seats] = await Promise.all([this.locked, Promise.all(ids.map((id) => this.groups.get(id)!.seats!))]);
    const toDeal = ids.map((id, i) => ({ strategy: dealsNow(teams.get(id)), seats: seats[i]!, complete: seats[i]!.length < this.groups.get(id)!.limit! }));
    const teamIndex = new Map(ids.map((id, i) => [id, i]));
    return dealAcross(toDeal, this.order.map((id) => teamIndex.get(id)!));
  }
}
