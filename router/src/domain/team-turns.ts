import type { LockedTeam } from "../assignment/strategies.js";

/**
 * One message's place in its team's queue within a batch: `ready` once it may assign; `done` once its
 * assignment is sent; `team`, the team's row as the batch locked it.
 */
export type TeamTurn = { ready: Promise<void>; done: () => void; team: Promise<LockedTeam | undefined> };

/**
 * Messages of one batch share a transaction, so the team row lock alone no longer orders their assignments,
 * and several teams locked in arrival order would deadlock against another batch locking them in another.
 * So once every message of the batch has found its conversation (each calls `join` once, with null when it
 * assigns nothing), the batch locks all its teams at once in id order; then each message's assignment waits for
 * the previous one of its team: its pick is sent right behind that one's assignment, so round robin and least
 * loaded see every earlier pick (unless that agent refused and the previous message moved to its next
 * candidate, a race the agent's lock keeps safe: at worst two chats go to the same agent, within capacity).
 */
export class TeamTurns {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly teams = new Set<string>();
  private arrived = 0;
  /** Resolves once the batch's team locks are sent: what follows on the connection runs after they are granted. */
  private readonly locking: Promise<void>;
  private locked: Promise<Map<string, LockedTeam>> = Promise.resolve(new Map());
  private lockNow!: () => void;

  constructor(private readonly expected: number, lockTeams: (ids: string[]) => Promise<Map<string, LockedTeam>>) {
    const go = new Promise<void>((resolve) => (this.lockNow = resolve));
    this.locking = go.then(() => {
      if (this.teams.size === 0) return;
      this.locked = lockTeams([...this.teams].sort());
      this.locked.catch(() => {}); // a failure aborts the transaction: every later statement fails too
    });
  }

  join(teamId: string | null): TeamTurn | undefined {
    if (teamId) this.teams.add(teamId);
    if (++this.arrived === this.expected) this.lockNow();
    if (!teamId) return undefined;
    const previous = this.tails.get(teamId) ?? this.locking;
    let done!: () => void;
    this.tails.set(teamId, new Promise<void>((resolve) => (done = resolve)));
    return { ready: previous, done, team: this.locking.then(() => this.locked).then((teams) => teams.get(teamId)) };
  }
}
