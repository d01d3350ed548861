import { describe, expect, it } from "vitest";
import { deltaFits } from "./agent-delta.js";

const [h10, h11, h12] = [Date.UTC(2026, 2, 4, 10), Date.UTC(2026, 2, 4, 11), Date.UTC(2026, 2, 4, 12)];
/** A change to the sums as the state's diff writes it (`hot-floor.ts`: 64-bit integers quoted). */
const change = (sign: number, at: number, fields: Record<string, unknown> = {}) => JSON.stringify({
  sign, instant: String(at), agent: "a", channel: "c", team: "t", resolved: 1, resolution_s: 1800, csat_n: 0, csat_sum: "0",
  won: 0, frt_n: 0, frt_sum: 0, reopened: 0, response_n: 0, response_ms: "0", stint_n: 0, stint_ms: "0", cur: "", deal: 0, ...fields,
});
const lines = (...changes: string[]) => changes.join("\n");
const deal = { won: 1, cur: "MXN", deal: 1000 };
const frt = (value: number) => ({ resolved: 0, resolution_s: 0, frt_n: 1, frt_sum: value });

describe("whether the hot cycles' change adds up in a window of the agent sums", () => {
  it("takes counts and sums off and on anywhere", () => {
    expect(deltaFits(lines(change(-1, h10), change(1, h11, { csat_n: 1, csat_sum: "2" })), h10, h12)).toBe(true);
    expect(deltaFits(change(1, h10, frt(180)), h10, h12)).toBe(true);
  });

  it("keeps a currency in the revenue only where the same keys win a deal again", () => {
    // A survey on a won resolve: the deal goes and comes back, under the same keys, at the same or another hour.
    expect(deltaFits(lines(change(-1, h10, deal), change(1, h10, { ...deal, csat_n: 1, csat_sum: "5" })), h10, h12)).toBe(true);
    expect(deltaFits(lines(change(-1, h10, deal), change(1, h11, deal)), h10, h12)).toBe(true);
    // Gone, back after the window, or back in another currency or team: the map would keep the currency at 0.
    expect(deltaFits(change(-1, h10, deal), h10, h12)).toBe(false);
    expect(deltaFits(lines(change(-1, h10, deal), change(1, h12, deal)), h10, h12)).toBe(false);
    expect(deltaFits(lines(change(-1, h10, deal), change(1, h11, { ...deal, cur: "USD" })), h10, h12)).toBe(false);
    expect(deltaFits(lines(change(-1, h10, deal), change(1, h11, { ...deal, team: "u" })), h10, h12)).toBe(false);
    // Gone before the window: nothing of it is read summed.
    expect(deltaFits(change(-1, h10, deal), h11, h12)).toBe(true);
  });

  it("never takes a first response's value off the p90's values in the window", () => {
    const moved = lines(change(-1, h10, frt(540)), change(1, h10, frt(180)));
    expect(deltaFits(moved, h10, h12)).toBe(false);
    expect(deltaFits(moved, h11, h12)).toBe(true);
  });
});
