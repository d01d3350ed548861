import { cycleKeys, eitherKey, resolvedInRange, startedInRange } from "../query/cycles.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { keyedRows, type Pass } from "./pass.js";

/**
 * Dashboard 8: per team and per territory. A cycle's team is the team holding it at its first event; its
 * territory is the conversation's, set when it was opened. Two passes (`pass.ts`) instead of a read per panel:
 * over the cycles started or resolved in the range, grouped by team; and joined to their territory.
 */

const target = "{frt_target:UInt32}";
const agentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;
const started = `${startedInRange} AND ${agentFilter}`;
const resolved = `${resolvedInRange} AND ${agentFilter}`;
const wonInRange = `${resolved} AND result = 'won'`;
/**
 * A pass grouped by `key`: its one row holds `groups`, an array of (key as text, aggregates…) tuples sorted by
 * key (the panels' ORDER BY key); a panel keeps the groups its own count found (`present`), as its GROUP BY did.
 */
const groupedPass = (id: string, key: string, aggregates: string[], from: string): Pass => ({
  id,
  sql: () => overCycles(`SELECT arraySort(g -> g.1, groupArray(g)) AS groups FROM (SELECT tuple(toString(${key}), ${aggregates.join(",\n    ")}) AS g
    FROM ${from} GROUP BY ${key})`, eitherKey(cycleKeys.started, cycleKeys.resolved)),
});
const pick = (present: number, value: string) => `arrayMap(g -> (g.1, ${value}), arrayFilter(g -> g.${present} > 0, groups))`;

// Elements: 2 started, 3 fast FRT mean (`frt`: the fast path, as this panel always read it), 4 its count,
// 5 exact FRTs, 6 those within target, 7 resolution mean, 8 resolved, 9 won, 10 out-of-hours share of new, 11 new.
const teamPass = groupedPass("teams", "team", [
  `countIf(${started})`, `avgIf(frt, ${started} AND frt IS NOT NULL)`, `countIf(${started} AND frt IS NOT NULL)`,
  `countIf(${started} AND exact_frt IS NOT NULL)`, `countIf(${started} AND exact_frt IS NOT NULL AND exact_frt <= ${target})`,
  `avgIf(resolution_s, ${resolved})`, `countIf(${resolved})`,
  `countIf(${wonInRange})`, `avgIf(ooh, ${started} AND is_reopen = 0)`, `countIf(${started} AND is_reopen = 0)`,
], "cycles");

/**
 * The conversation's territory: the greatest any of its cycles has (only an opening sets one). A cycle 1 holds
 * its own; later ones are looked up, for the few conversations that reopened in the range, and any territory set
 * past cycle 1 (none, unless an opening is ever counted past it) is looked up for all: two small joins instead
 * of one over every conversation of the tenant (a million at 9M events).
 */
const laterTerritories = `(SELECT conversation_id, max(territory) AS terr FROM cycle_facts
    WHERE tenant_id = {tenant:UUID} AND cycle > 1 AND territory != '' GROUP BY conversation_id) AS lt`;
const firstTerritories = `(SELECT conversation_id, max(territory) AS terr FROM cycle_facts
    WHERE tenant_id = {tenant:UUID} AND cycle = 1 AND conversation_id IN (SELECT conversation_id FROM cycles WHERE cycle > 1) GROUP BY conversation_id) AS ft`;
const territory = "greatest(if(c.cycle = 1, c.territory, ft.terr), lt.terr)";
// Elements: 2 started, 3 exact FRT mean, 4 its count, 5 won.
const territoryPass = groupedPass("territories", territory, [
  `countIf(${started})`, `avgIf(exact_frt, ${started} AND exact_frt IS NOT NULL)`, `countIf(${started} AND exact_frt IS NOT NULL)`, `countIf(${wonInRange})`,
], `cycles AS c LEFT JOIN ${laterTerritories} ON lt.conversation_id = c.conversation_id LEFT JOIN ${firstTerritories} ON ft.conversation_id = c.conversation_id`);

const breakdown = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, pass: Pass, array: string) =>
  onPass({ id, unit, kind: "breakdown", name, description }, { pass, rows: keyedRows(array) });

export const teamBoardMetrics: MetricDefinition[] = [
  breakdown("team_volume", "count", t("Volumen por equipo", "Volume by team"), t("Ciclos iniciados en el rango por equipo inicial.", "Cycles started in the range by starting team."),
    teamPass, pick(2, "g.2")),
  breakdown("team_first_response_time_avg", "seconds", t("Primera respuesta por equipo", "First response by team"), t("Promedio de primera respuesta por equipo inicial.", "Mean FRT by starting team."),
    teamPass, pick(4, "g.3")),
  breakdown("team_sla_first_response_compliance", "share", t("Cumplimiento SLA por equipo", "SLA compliance by team"),
    t("Primeras respuestas dentro del objetivo / primeras respuestas, por equipo.", "First responses within target / first responses, per team."),
    teamPass, pick(5, "g.6 / g.5")),
  breakdown("team_resolution_time_avg", "seconds", t("Resolución por equipo", "Resolution time by team"), t("Inicio → resolución, ciclos resueltos en el rango.", "Start → resolve, cycles resolved in the range."),
    teamPass, pick(8, "g.7")),
  breakdown("team_conversions", "count", t("Conversiones por equipo", "Conversions by team"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    teamPass, pick(9, "g.9")),
  breakdown("team_out_of_hours_share", "share", t("Fuera de horario por equipo", "Out-of-hours share by team"), t("Conversaciones nuevas abiertas fuera de horario / nuevas.", "New conversations opened out of hours / new ones."),
    teamPass, pick(11, "g.10")),
  breakdown("territory_volume", "count", t("Volumen por territorio", "Volume by territory"), t("Ciclos iniciados en el rango por territorio del contacto.", "Cycles started in the range by the contact's territory."),
    territoryPass, pick(2, "g.2")),
  breakdown("territory_first_response_time_avg", "seconds", t("Primera respuesta por territorio", "First response by territory"), t("FRT promedio de ciclos iniciados en el rango.", "Mean FRT of cycles started in the range."),
    territoryPass, pick(4, "g.3")),
  breakdown("territory_conversions", "count", t("Conversiones por territorio", "Conversions by territory"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    territoryPass, pick(5, "g.5")),
];
