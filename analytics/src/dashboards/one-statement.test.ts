import { describe, expect, it } from "vitest";
import { dashboards } from "./definitions.js";
import { getMetric } from "../metrics/registry.js";
import { storedReaggregationsOf } from "./one-statement.js";

const query = { tenantId: "00000000-0000-0000-0000-000000000001", from: new Date("2026-02-01T00:00:00Z"), to: new Date("2026-03-01T00:00:00Z"), timeZone: "America/Mexico_City" };
const reaggregations = (id: string) => storedReaggregationsOf(dashboards.find((d) => d.id === id)!.panels.filter((p) => p.status === "implemented").map((p) => getMetric(p.metricId)), query);

describe("stored columns re-aggregated over hot facts per dashboard statement", () => {
  it("counts each cycles read that computes them, once per pass", () => {
    // The agent pass reads the cycles three ways (per cycle: exact FRT; spread: per-agent sums; edges: runs and stints).
    expect(reaggregations("agent_performance")).toBe(3);
    // Exact FRT and answered runs, from one read.
    expect(reaggregations("response_times")).toBe(1);
    // Exact FRT, and the hot cycles' conversation territories looked up in their facts (the hot rows hold them).
    expect(reaggregations("teams_territories")).toBe(2);
    // Raw aggregates only.
    expect(reaggregations("sales")).toBe(0);
  });
});
