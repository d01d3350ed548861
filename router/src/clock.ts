/** Every time the router reads comes from here, so tests can move time (reopen windows, SLA, hours). */
export type Clock = { now: () => Date };
export const systemClock: Clock = { now: () => new Date() };

export function manualClock(start: Date): Clock & { set: (d: Date) => void; advance: (ms: number) => void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (d) => { current = d.getTime(); },
    advance: (ms) => { current += ms; },
  };
}
