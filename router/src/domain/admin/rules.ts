import { and, asc, eq } from "drizzle-orm";
import { routingRules } from "../../db/schema/index.js";
import { inTransaction, type Db, type Tx } from "../../db/index.js";
import { requireRole, type Actor } from "../actor.js";
import { DomainError } from "../errors.js";
import { normalizeText } from "../../assignment/routing-rules.js";
import { createRule, type NewRule } from "./workspace.js";
import { invalidInput, requireTeam } from "./lookup.js";

type Rule = typeof routingRules.$inferSelect;
export type RulePatch = Partial<NewRule>;

/** A rule's pattern must be one the router can match: digits for a phone prefix, words for a keyword. */
export function checkPattern(kind: NewRule["kind"], pattern: string): void {
  const p = pattern.trim();
  if (kind === "phone_prefix" && !/^\d{1,15}$/.test(p)) {
    throw invalidInput("pattern", "A phone prefix is 1 to 15 digits, without + or spaces (e.g. 5281)");
  }
  if (kind === "keyword" && normalizeText(p).trim() === "") throw invalidInput("pattern", "A keyword needs letters or digits");
  if (p === "") throw invalidInput("pattern", "The pattern is empty");
}

/** Menu choices first, then keywords, then phone prefixes, each by priority as the router evaluates them. */
export async function listRules(db: Db, actor: Actor): Promise<Rule[]> {
  requireRole(actor, "admin", "supervisor");
  return db.select().from(routingRules).where(eq(routingRules.tenantId, actor.tenantId))
    .orderBy(asc(routingRules.kind), asc(routingRules.priority), asc(routingRules.pattern), asc(routingRules.id));
}

async function requireRule(tx: Db | Tx, tenantId: string, ruleId: string): Promise<Rule> {
  const [rule] = await tx.select().from(routingRules).where(and(eq(routingRules.tenantId, tenantId), eq(routingRules.id, ruleId))).for("no key update");
  if (!rule) throw new DomainError("not_found", "Routing rule not found", { ruleId });
  return rule;
}

export async function addRule(db: Db, actor: Actor, input: NewRule): Promise<Rule> {
  requireRole(actor, "admin");
  checkPattern(input.kind, input.pattern);
  return inTransaction(db, async (tx) => {
    await requireTeam(tx, actor.tenantId, input.teamId);
    return createRule(tx, actor.tenantId, input);
  });
}

/** The kind and pattern are checked together as they will be after the change. */
export async function updateRule(db: Db, actor: Actor, ruleId: string, patch: RulePatch): Promise<Rule> {
  requireRole(actor, "admin");
  return inTransaction(db, async (tx) => {
    const rule = await requireRule(tx, actor.tenantId, ruleId);
    checkPattern(patch.kind ?? rule.kind, patch.pattern ?? rule.pattern);
    if (patch.teamId) await requireTeam(tx, actor.tenantId, patch.teamId);
    const changes = { ...patch, ...(patch.pattern !== undefined ? { pattern: patch.pattern.trim() } : {}) };
    if (Object.keys(changes).length === 0) return rule;
    const [updated] = await tx.update(routingRules).set(changes).where(eq(routingRules.id, ruleId)).returning();
    return updated!;
  });
}

export async function deleteRule(db: Db, actor: Actor, ruleId: string): Promise<void> {
  requireRole(actor, "admin");
  const rows = await db.delete(routingRules)
    .where(and(eq(routingRules.tenantId, actor.tenantId), eq(routingRules.id, ruleId))).returning({ id: routingRules.id });
  if (rows.length === 0) throw new DomainError("not_found", "Routing rule not found", { ruleId });
}
