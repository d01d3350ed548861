import { describe, expect, it } from "vitest";
import { changeOf, formatMetric, formatSeconds } from "./metric-format";

describe("metric formatting", () => {
  it("reads durations as people say them", () => {
    expect([formatSeconds(38.4), formatSeconds(252), formatSeconds(3900), formatSeconds(90_000)]).toEqual(["38 s", "4 min 12 s", "1 h 05 min", "1 d 1 h"]);
  });

  it("formats by unit and language", () => {
    expect(formatMetric(0.853, "share", "en")).toBe("85.3%");
    expect(formatMetric(12500, "money", "en", "USD")).toBe("$12,500");
    expect(formatMetric(null, "count", "es-419")).toBe("—");
  });

  it("calls a shorter response time good news and a higher abandonment bad news", () => {
    expect(changeOf(120, 150, "seconds", "first_response_time_avg", "en")).toEqual({ text: "-20%", direction: "down", good: true });
    expect(changeOf(0.2, 0.1, "share", "abandonment_rate", "en")).toEqual({ text: "+10 pp", direction: "up", good: false });
    expect(changeOf(30, 20, "count", "conversions", "en")).toEqual({ text: "+50%", direction: "up", good: true });
    expect(changeOf(5, 0, "count", "conversions", "en")).toBeNull();
  });
});
