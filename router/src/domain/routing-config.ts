import type postgres from "postgres";
import { routingRules, teams } from "../db/schema/index.js";
import { rowMapper } from "../db/raw.js";
import type { Team } from "../assignment/strategies.js";

export type Rule = typeof routingRules.$inferSelect;
/** A workspace's teams and routing rules as of `version` (tenants.config_version, moved by triggers). */
export type RoutingConfig = { version: string; teams: readonly Team[]; rules: readonly Rule[] };

const asTeam = rowMapper(teams);
const asRule = rowMapper(routingRules);

/**
 * Per process, one entry per workspace. An entry is used only while the workspace's version, read in the
 * message's first statement, still matches; so a change committed anywhere is seen by the next message.
 * The objects are shared between messages: callers read them, never change them.
 */
const cache = new Map<string, RoutingConfig>();

export function cachedRoutingConfig(tenantId: string, version: string): RoutingConfig | undefined {
  const hit = cache.get(tenantId);
  return hit?.version === version ? hit : undefined;
}

/**
 * Reads the configuration in two statements the caller pipelines with its other reads. They run after the
 * statement that read `version`, so what they see is at least that new: caching it under `version` can
 * only ever serve newer configuration, never older.
 */
export function loadRoutingConfig(sql: postgres.TransactionSql, tenantId: string, version: string): Promise<RoutingConfig> {
  const teamRows = sql`SELECT * FROM teams WHERE tenant_id = ${tenantId}`;
  const ruleRows = sql`SELECT * FROM routing_rules WHERE tenant_id = ${tenantId}`;
  return Promise.all([teamRows, ruleRows]).then(([t, r]) => {
    const config = { version, teams: t.map(asTeam), rules: r.map(asRule) };
    cache.set(tenantId, config);
    return config;
  });
}
