import { describe, expect, it } from "vitest";
import { metricsById } from "../metrics/registry.js";
import { dashboards, getDashboard } from "./definitions.js";

describe("the nine dashboards", () => {
  it("are nine, numbered 1–9, titled in Spanish and English", () => {
    expect(dashboards.map((d) => d.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const d of dashboards) expect(d.title.es && d.title.en).toBeTruthy();
  });

  it("name only catalog metrics and carry each one's real status", () => {
    for (const panel of dashboards.flatMap((d) => d.panels)) {
      expect(metricsById.get(panel.metricId)?.status, panel.metricId).toBe(panel.status);
    }
    expect(getDashboard("agent_performance").panels.every((p) => p.status === "implemented" && p.breakdown === "agent")).toBe(true);
  });
});
