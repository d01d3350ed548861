import type { ConversationFact } from "@centralita/analytics";

/**
 * Which conversations stand behind a number: the cycles started in the view's range that the number is about.
 * Metrics not listed here have no list behind them (averages over messages, presence, …).
 */
const predicates: Record<string, (f: ConversationFact, targetSeconds: number) => boolean> = {
  conversations_opened: () => true,
  leads: () => true,
  conversions: (f) => f.outcome === "won",
  lost: (f) => f.outcome === "lost",
  abandoned: (f) => f.outcome === "abandoned",
  conversations_resolved: (f) => f.resolvedAt !== null,
  conversations_reopened: (f) => f.cycle > 1,
  reopens: (f) => f.cycle > 1,
  transfers: (f) => f.transfers > 0,
  multi_transfer_conversations: (f) => f.transfers > 1,
  sla_breaches: (f, target) => f.firstResponseSeconds !== null && f.firstResponseSeconds > target,
  first_response_time_avg: (f) => f.firstResponseSeconds !== null,
  first_response_time_p90: (f) => f.firstResponseSeconds !== null,
};

export const drillable = (metricId: string) => metricId in predicates;

/** The newest `limit` conversations behind a metric, newest first. */
export function conversationsBehind(facts: ConversationFact[], metricId: string | null, targetSeconds: number, limit: number): ConversationFact[] {
  const keep = metricId ? predicates[metricId] : undefined;
  const chosen = keep ? facts.filter((f) => keep(f, targetSeconds)) : facts;
  return chosen.slice(-limit).reverse();
}
