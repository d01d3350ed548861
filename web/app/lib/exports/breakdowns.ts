/** The report builder's breakdowns (no analytics import: the browser bundle reads this list). */
export const reportBreakdowns = ["none", "agent", "team", "day", "channel", "territory"] as const;
export type ReportBreakdown = (typeof reportBreakdowns)[number];
