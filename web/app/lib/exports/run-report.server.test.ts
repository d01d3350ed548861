import { describe, expect, it } from "vitest";
import { groupsByAgent } from "@centralita/analytics";
import { cellsPerRow } from "./run-report.server";
import { MAX_REPORT_CELLS, reportableMetrics } from "./report";

describe("the report builder's size check", () => {
  // A scorecard of 200 agents and their total: response times, resolutions, first contact resolution, CSAT, reopens and
  // transfers.
  const scorecard = ["first_response_time_avg", "first_response_time_p90", "conversations_resolved", "first_contact_resolution_rate",
    "csat_avg", "reopen_rate", "transfers", "transfer_rate"];

  it("counts the metrics a report by agent reads once for every agent once, not once per agent", () => {
    expect(scorecard.every(groupsByAgent)).toBe(true);
    expect(cellsPerRow({ metricIds: scorecard, breakdown: "agent" }, 201)).toBe(8);
    // By team, every metric is a statement per team: 201 teams would be refused.
    expect(cellsPerRow({ metricIds: scorecard, breakdown: "team" }, 201)).toBe(1608);
    expect(cellsPerRow({ metricIds: scorecard, breakdown: "team" }, 201)).toBeGreaterThan(MAX_REPORT_CELLS);
  });

  it("reads every reportable metric once for every agent: a scorecard of them all for 200 agents fits", () => {
    const every = reportableMetrics.map((m) => m.id);
    expect(every.filter((id) => !groupsByAgent(id))).toEqual([]);
    expect(cellsPerRow({ metricIds: every, breakdown: "agent" }, 201)).toBe(every.length);
    expect(cellsPerRow({ metricIds: every, breakdown: "agent" }, 201)).toBeLessThanOrEqual(MAX_REPORT_CELLS);
    // A metric no report reads grouped (the live board's, not reportable) would still count once per row.
    expect(groupsByAgent("open_now")).toBe(false);
    expect(cellsPerRow({ metricIds: ["open_now", "csat_avg"], breakdown: "agent" }, 201)).toBe(202);
  });
});
