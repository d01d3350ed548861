import { describe, expect, it } from "vitest";
import { dealAcross, dealInTurn } from "./deal.js";
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

  it("shares an agent's room and load between the teams he is in, in arrival order", () => {
    const x = seat("x", 0, 1, 0);
    // Ventas gives x his only seat, so Soporte's chat right after goes to y.
    expect(dealAcross([{ strategy: "round_robin", seats: [x], complete: true }, { strategy: "round_robin", seats: [x, seat("y", 0, 2, 1)], complete: true }], [0, 1]))
      .toEqual([{ to: "x" }, { to: "y" }]);
    // A team that deals nothing now (closed, manual) takes no seat.
    expect(dealAcross([{ strategy: null, seats: [x], complete: true }, { strategy: "least_loaded", seats: [x], complete: true }], [0, 1])).toEqual([null, { to: "x" }]);
  });

  it("leaves a chat for later when its team's pick ran out while members it did not fetch may have room", () => {
    // Round robin: the one seat fetched went to the other team, and the rotation goes on past it.
    const x = seat("x", 0, 1, 0);
    expect(dealAcross([{ strategy: "round_robin", seats: [x], complete: true }, { strategy: "round_robin", seats: [x], complete: false }], [0, 1]))
      .toEqual([{ to: "x" }, "later"]);
    // Least loaded: members not fetched rank after y as fetched (load 1); once x and y are both at 2, one of them may not be best.
    const teams = [
      { strategy: "least_loaded" as const, seats: [seat("x", 0, 5, 0)], complete: true },
      { strategy: "least_loaded" as const, seats: [seat("x", 0, 5, 0), seat("y", 1, 5, 1)], complete: false },
    ];
    expect(dealAcross(teams, [0, 0, 1, 1])).toEqual([{ to: "x" }, { to: "x" }, { to: "y" }, "later"]);
  });
});
