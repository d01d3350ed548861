/** Analytics' public surface: the metric catalog, how to run a metric, and the nine dashboard definitions. */
export { metricCatalog, metricsById, getMetric } from "./metrics/registry.js";
export { runMetric, metricValue, metricStatement, type MetricResult, type MetricRow } from "./metrics/run.js";
export type { MetricDefinition, MetricKind, Unit, Text } from "./metrics/define.js";
export { runDashboard, runMetricsFor, type PanelResult, type DashboardRunOptions } from "./dashboards/run.js";
export { groupsByAgent, runMetricsByAgent } from "./dashboards/by-agent.js";
export { dashboards, getDashboard, type DashboardDefinition, type Panel, type ChartKind, type Breakdown } from "./dashboards/definitions.js";
export { type MetricQuery, type MetricFilters, type Bucket, DEFAULT_FIRST_RESPONSE_TARGET_SECONDS } from "./query/input.js";
export { type TeamSchedule, type WeeklyHours, openWindows, businessMs, BUSINESS_HOURS_HORIZON_DAYS } from "./query/business-hours.js";
export { conversationFacts, conversationFactsSql, CONVERSATION_FACTS_LIMIT, type ConversationFact } from "./exports/conversation-facts.js";
export { compactCycles, startCycleCompactor, type CompactionOptions, type CompactionResult, type CompactorHandle } from "./rollup/compact.js";
export { readRollupState, type RollupState } from "./rollup/state.js";
