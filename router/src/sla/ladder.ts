import type { EscalationStep } from "../db/schema/index.js";

export type LadderState = { waitStartedAt: Date | null; alertedAt: Date | null; escalationStep: number } | null;

export type LadderInput = {
  waitingSince: Date;
  /** When the team's current opening began (the SLA clock does not run while it is closed). */
  openSince: Date;
  now: Date;
  targetSeconds: number;
  steps: EscalationStep[];
  state: LadderState;
};

export type LadderDue = {
  /** The stored state is about an earlier wait: alerts and steps start over for this one. */
  reset: boolean;
  waitedSeconds: number;
  alert: boolean;
  /** Index of the escalation step to take now, or null. One step per run, so catching up after downtime is gradual. */
  step: number | null;
};

/** What is due for one waiting customer: a pure function of stored timestamps, so a late run catches up. */
export function ladderDue(input: LadderInput): LadderDue {
  const { state } = input;
  const reset = !state || state.waitStartedAt?.getTime() !== input.waitingSince.getTime();
  const alerted = !reset && state!.alertedAt !== null;
  const done = reset ? 0 : state!.escalationStep;
  const start = Math.max(input.waitingSince.getTime(), input.openSince.getTime());
  const waitedSeconds = Math.max(0, Math.floor((input.now.getTime() - start) / 1000));
  const next = input.steps[done];
  return {
    reset,
    waitedSeconds,
    alert: !alerted && waitedSeconds >= input.targetSeconds,
    step: next && waitedSeconds >= next.afterSeconds ? done : null,
  };
}

export const isDue = (d: LadderDue) => d.alert || d.step !== null;
