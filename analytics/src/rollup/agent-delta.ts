/**
 * What the hot cycles change in `agent_time_sums` (`RollupState.agentDelta`, from `hot-floor.ts`): each hot cycle's
 * contributions its compacted row has and its hot row has not (sign -1), and the other way round (+1), as JSON lines of
 * `CONTRIBUTION_ENTRY` and the sign (a measure left out is zero). Added to the sums of a window, they give the sums of
 * the compacted cycles with the hot ones as they are now: the agent board reads the window summed, with no hot floor.
 * Two things do not subtract: a first response's value from the p90's values, and a won deal from the revenue map (its
 * currency would stay, at 0).
 */
type Change = { sign: number; instant: string | number; agent: string; channel: string; team: string; tag: string; frt_n?: string | number; won?: string | number; cur?: string };

let parsed: { text: string; changes: Change[] } | undefined;
const changesOf = (delta: string): Change[] => {
  if (parsed?.text !== delta) parsed = { text: delta, changes: delta.split("\n").map((line) => JSON.parse(line) as Change) };
  return parsed.changes;
};

/**
 * Whether the change adds up exactly in [fromMs, toMs): no first response taken off there, and every (agent, channel,
 * team, tag, currency) that loses a won deal there wins one there too (so it wins at least one in all: the sums had each
 * deal taken off). Else the board reads the window up to the hot floor summed and the rest from the cycles.
 */
export function deltaFits(delta: string, fromMs: number, toMs: number): boolean {
  const inWindow = changesOf(delta).filter((c) => Number(c.instant) >= fromMs && Number(c.instant) < toMs);
  if (inWindow.some((c) => c.sign < 0 && Number(c.frt_n ?? 0) > 0)) return false;
  const key = (c: Change) => JSON.stringify([c.agent, c.channel, c.team, c.tag, c.cur ?? ""]);
  const winning = new Set(inWindow.filter((c) => c.sign > 0 && Number(c.won ?? 0) > 0).map(key));
  return inWindow.every((c) => c.sign > 0 || Number(c.won ?? 0) === 0 || winning.has(key(c)));
}
