import type { routingRules } from "../db/schema/index.js";

export type RoutingInput = { tenantId: string; text: string | null; menuChoice: string | null; phone: string };
export type RoutingDecision = {
  teamId: string | null;
  routedBy: "keyword" | "menu" | "territory" | "default" | "none";
  territory: string | null;
};

/** Lowercase, accents stripped, punctuation to spaces: "Cotización!" and "cotizacion" match. */
export function normalizeText(text: string): string {
  return ` ${text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim()} `;
}

type Rule = typeof routingRules.$inferSelect;

function byPriority(a: Rule, b: Rule): number {
  return a.priority - b.priority || b.pattern.length - a.pattern.length;
}

export function matchKeyword(rules: readonly Rule[], text: string | null): Rule | undefined {
  if (!text) return undefined;
  const haystack = normalizeText(text);
  return rules
    .filter((r) => r.kind === "keyword" && haystack.includes(normalizeText(r.pattern)))
    .sort(byPriority)[0];
}

/** Longest matching prefix wins: 5281 (Monterrey) beats 52 (México). */
export function matchPhonePrefix(rules: readonly Rule[], phone: string): Rule | undefined {
  return rules
    .filter((r) => r.kind === "phone_prefix" && phone.startsWith(r.pattern))
    .sort((a, b) => b.pattern.length - a.pattern.length || a.priority - b.priority)[0];
}

/**
 * Decides the team of a new conversation: the customer's bot-menu choice, then keywords, then the phone
 * prefix's territory, then the workspace default. The territory is derived from the phone either way.
 */
export function decideRoute(rules: readonly Rule[], input: Omit<RoutingInput, "tenantId">, defaultTeamId: string | null): RoutingDecision {
  const territoryRule = matchPhonePrefix(rules, input.phone);
  const territory = territoryRule?.territory ?? null;
  const menu = input.menuChoice
    ? rules.filter((r) => r.kind === "menu" && r.pattern === input.menuChoice).sort(byPriority)[0]
    : undefined;
  if (menu) return { teamId: menu.teamId, routedBy: "menu", territory };
  const keyword = matchKeyword(rules, input.text);
  if (keyword) return { teamId: keyword.teamId, routedBy: "keyword", territory };
  if (territoryRule) return { teamId: territoryRule.teamId, routedBy: "territory", territory };
  return { teamId: defaultTeamId, routedBy: defaultTeamId ? "default" : "none", territory };
}
