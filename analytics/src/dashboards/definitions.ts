import { metricsById } from "../metrics/registry.js";
import type { Text } from "../metrics/define.js";

export type ChartKind = "stat" | "line" | "bar" | "stacked_bar" | "table" | "heatmap" | "funnel" | "donut";
/** How a panel splits its metric: nothing, per agent / team / currency / … (the metric's key), or a time bucket. */
export type Breakdown = "none" | "agent" | "team" | "territory" | "currency" | "method" | "reason" | "pair" | "score" | "hour_of_day" | "weekday_hour" | "stage" | "bucket";

export type Panel = { metricId: string; chart: ChartKind; breakdown: Breakdown; status: "implemented" | "pending" };
export type DashboardDefinition = { id: string; number: number; title: Text; refresh: "live" | "range"; panels: Panel[] };

const p = (metricId: string, chart: ChartKind, breakdown: Breakdown = "none"): Panel => {
  const metric = metricsById.get(metricId);
  if (!metric) throw new Error(`dashboard panel names unknown metric ${metricId}`);
  return { metricId, chart, breakdown, status: metric.status };
};
const stats = (...ids: string[]) => ids.map((id) => p(id, "stat"));
const perAgent = (...ids: string[]) => ids.map((id) => p(id, "table", "agent"));

/** The nine dashboards of spec/metrics.md: the web app and the exports render exactly these. */
export const dashboards: readonly DashboardDefinition[] = [
  { id: "live_operations", number: 1, title: { es: "Operación en vivo", en: "Live operations" }, refresh: "live", panels: [
    ...stats("open_now", "pending_now", "unassigned_now", "oldest_waiting_now", "sla_at_risk_now", "agents_online_now", "agents_away_now", "agents_offline_now", "queue_wait_last_hour_avg"),
    p("active_chats_by_agent_now", "bar", "agent"), p("messages_per_minute_last_hour", "line", "bucket")] },
  { id: "response_times", number: 2, title: { es: "Tiempos de respuesta y SLA", en: "Response times and SLA" }, refresh: "range", panels: [
    ...stats("first_response_time_avg", "first_response_time_p50", "first_response_time_p90", "first_response_time_bh_avg", "first_response_time_bh_p90",
      "response_time_avg", "response_time_p50", "response_time_p90", "time_to_assign_avg", "time_to_assign_p90", "sla_first_response_compliance", "sla_breaches", "escalations"),
    p("first_response_time_by_hour_of_day", "bar", "hour_of_day")] },
  { id: "agent_performance", number: 3, title: { es: "Desempeño por agente", en: "Agent performance" }, refresh: "range", panels: perAgent(
    "agent_conversations_handled", "agent_conversations_resolved", "agent_messages_sent", "agent_notes_written", "agent_first_response_time_avg", "agent_first_response_time_p90",
    "agent_response_time_avg", "agent_resolution_time_avg", "agent_handle_time_avg", "agent_csat_avg", "agent_conversions", "agent_conversion_rate", "agent_revenue",
    "agent_transfers_out", "agent_transfers_in", "agent_reopen_rate") },
  { id: "workload", number: 4, title: { es: "Carga y asignación", en: "Workload and assignment" }, refresh: "range", panels: [
    p("assignments", "line", "bucket"), p("assignments_by_method", "donut", "method"), p("assignments_by_agent", "bar", "agent"), p("assignment_balance", "stat"),
    ...perAgent("concurrent_chats_avg", "concurrent_chats_max", "capacity_utilization", "online_time_by_agent", "occupancy"), p("auto_reassignments", "line", "bucket")] },
  { id: "transfers", number: 5, title: { es: "Transferencias", en: "Transfers" }, refresh: "range", panels: [
    ...stats("transfers", "transfer_rate", "multi_transfer_conversations", "time_before_transfer_avg", "transfer_then_resolved_rate"),
    p("transfers_by_pair", "heatmap", "pair"), p("transfers_by_reason", "bar", "reason")] },
  { id: "quality", number: 6, title: { es: "Calidad: reaperturas y CSAT", en: "Quality: reopens and CSAT" }, refresh: "range", panels: [
    ...stats("reopens", "reopen_rate", "time_to_reopen_avg", "first_contact_resolution_rate", "abandoned", "abandonment_rate", "csat_avg", "csat_response_rate", "csat_satisfied_share"),
    p("csat_distribution", "bar", "score")] },
  { id: "sales", number: 7, title: { es: "Ventas y conversiones", en: "Sales and conversions" }, refresh: "range", panels: [
    ...stats("leads", "conversions", "lost", "conversion_rate", "time_to_conversion_avg"),
    p("revenue", "bar", "currency"), p("avg_deal_value", "bar", "currency"), p("loss_reasons", "bar", "reason"), p("funnel", "funnel", "stage")] },
  { id: "teams_territories", number: 8, title: { es: "Equipos, departamentos y territorios", en: "Teams, departments and territories" }, refresh: "range", panels: [
    ...["team_volume", "team_first_response_time_avg", "team_sla_first_response_compliance", "team_resolution_time_avg", "team_conversions", "team_out_of_hours_share"].map((id) => p(id, "table", "team")),
    ...["territory_volume", "territory_first_response_time_avg", "territory_conversions"].map((id) => p(id, "table", "territory"))] },
  { id: "volume_automation", number: 9, title: { es: "Volumen, demanda y automatización", en: "Volume, demand and automation" }, refresh: "range", panels: [
    ...stats("conversations_opened", "conversations_reopened", "conversations_resolved", "messages_per_conversation", "new_contacts", "returning_contacts",
      "out_of_hours_conversations", "bot_handled", "bot_containment_rate", "delivery_failure_rate", "read_rate", "peak_hour"),
    ...["messages_inbound", "messages_outbound_agent", "messages_outbound_automated", "auto_replies_sent", "templates_sent"].map((id) => p(id, "line", "bucket")),
    p("inbound_heatmap", "heatmap", "weekday_hour")] },
];

export function getDashboard(id: string): DashboardDefinition {
  const dashboard = dashboards.find((d) => d.id === id);
  if (!dashboard) throw new Error(`unknown dashboard ${id}`);
  return dashboard;
}
