import { describe, expect, it } from "vitest";
import { PerNumberRateLimiter } from "./rate-limiter.js";

describe("per-number send rate", () => {
  it("lets a burst of the rate through, then spaces sends at 1/rate, per number", () => {
    const limiter = new PerNumberRateLimiter();
    const waits = Array.from({ length: 82 }, () => limiter.take("num-a", 80, 1_000));
    expect(waits.slice(0, 80).every((w) => w === 0)).toBe(true);
    expect(waits[80]).toBe(13); // 1/80 s, rounded up
    expect(limiter.take("num-b", 80, 1_000)).toBe(0);
    // Half a second later, 40 tokens have come back.
    const later = Array.from({ length: 41 }, () => limiter.take("num-a", 80, 1_500));
    expect(later.filter((w) => w === 0)).toHaveLength(40);
  });
});
