import { describe, expect, it } from "vitest";
import { ladderDue } from "../src/sla/ladder.js";
import { openSince } from "../src/sla/team-clock.js";

const steps = [{ afterSeconds: 600, action: "reassign" as const }, { afterSeconds: 900, action: "supervisor" as const }];
const at = (iso: string) => new Date(iso);

describe("the SLA ladder (pure)", () => {
  const base = { waitingSince: at("2026-03-02T15:00:00Z"), openSince: new Date(0), targetSeconds: 300, steps };

  it("alerts at the target and takes one step per run, in order", () => {
    expect(ladderDue({ ...base, now: at("2026-03-02T15:04:59Z"), state: null })).toEqual({ reset: true, waitedSeconds: 299, alert: false, step: null });
    expect(ladderDue({ ...base, now: at("2026-03-02T15:05:00Z"), state: null })).toMatchObject({ alert: true, step: null });
    const late = at("2026-03-02T15:20:00Z");
    expect(ladderDue({ ...base, now: late, state: null })).toMatchObject({ alert: true, step: 0 });
    const state = { waitStartedAt: base.waitingSince, alertedAt: late, escalationStep: 1 };
    expect(ladderDue({ ...base, now: late, state })).toMatchObject({ reset: false, alert: false, step: 1 });
    expect(ladderDue({ ...base, now: late, state: { ...state, escalationStep: 2 } })).toMatchObject({ alert: false, step: null });
  });

  it("starts over for a new wait and counts only open time", () => {
    const state = { waitStartedAt: at("2026-03-02T14:00:00Z"), alertedAt: at("2026-03-02T14:05:00Z"), escalationStep: 2 };
    expect(ladderDue({ ...base, now: at("2026-03-02T15:05:00Z"), state })).toMatchObject({ reset: true, alert: true });
    expect(ladderDue({ ...base, openSince: at("2026-03-02T15:03:00Z"), now: at("2026-03-02T15:05:00Z"), state: null }))
      .toMatchObject({ waitedSeconds: 120, alert: false });
  });
});

describe("since when a team has been open", () => {
  const nineToSix = { "1": [["09:00", "12:00"], ["12:10", "18:00"]] as Array<[string, string]> };
  const team = { timeZone: "America/Mexico_City", businessHours: nineToSix, holidays: [] };

  it("finds the opening of the current range, closed is null, no schedule is always", () => {
    expect(openSince(team, at("2026-03-02T16:30:45Z"))).toEqual(at("2026-03-02T15:00:00Z")); // 10:30 → 09:00
    expect(openSince(team, at("2026-03-02T18:15:00Z"))).toEqual(at("2026-03-02T18:10:00Z")); // 12:15 → 12:10
    expect(openSince(team, at("2026-03-02T18:05:00Z"))).toBeNull(); // the 12:00–12:10 break
    expect(openSince({ ...team, businessHours: null }, at("2026-03-02T18:05:00Z"))).toEqual(new Date(0));
  });
});
