import { describe, expect, it } from "vitest";
import { dealInTurn } from "./deal.js";
import type { Seat } from "./strategies.js";

const seat = (id: string, activeChats: number, capacity: number, position: number, lastUs: string | null = null): Seat =>
  ({ id, active_chats: activeChats, capacity, position, last_us: lastUs });

describe("dealing several chats in turn", () => {
  it("round robin goes down the rotation and around again, skipping full seats", () => {
    const rotation = [seat("c", 0, 1, 2), seat("a", 0, 3, 0), seat("b", 2, 3, 1)];
    // c (then full), a, b (then full), a, a (then full); the sixth chat finds no seat.
    expect(dealInTurn("round_robin", rotation, 6)).toEqual(["c", "a", "b", "a", "a"]);
    expect(dealInTurn("round_robin", rotation, 2)).toEqual(["c", "a"]);
  });

  it("least loaded gives each chat to the fewest chats, ties to the longest idle, then position and id", () => {
    const seats = [seat("x", 1, 5, 0, "1000"), seat("y", 1, 5, 1, null), seat("z", 2, 5, 0, "10"), seat("w", 1, 5, 1, null)];
    // y and w were never assigned (first), same position: by id, w then y; then x (load 1); then the four at 2:
    // z (idle since 10) before the three just dealt, in the order they were dealt.
    expect(dealInTurn("least_loaded", seats, 8)).toEqual(["w", "y", "x", "z", "w", "y", "x", "z"]);
  });

  it("stops when every seat is taken", () => {
    expect(dealInTurn("least_loaded", [seat("a", 2, 3, 0), seat("b", 0, 1, 1)], 5)).toEqual(["b", "a"]);
    expect(dealInTurn("round_robin", [], 3)).toEqual([]);
  });
});
