import { cycleKeys, isHot, resolvedInRange, startedInRange, STORED_MARK } from "../query/cycles.js";
import { onPass, overCycles, t, type MetricDefinition, type Text } from "./define.js";
import { byText, keyed, type Pass, type RowsFromPass } from "./pass.js";
import { NO_ROLLUP, type RollupState } from "../rollup/state.js";

/**
 * Dashboard 8: per team and per territory. A cycle's team is the team holding it at its first event; its
 * territory is the conversation's, set when it was opened. One pass (`boardPass`) instead of a read per panel.
 */

const target = "{frt_target:UInt32}";
const agentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;
const started = `${startedInRange} AND ${agentFilter}`;
const resolved = `${resolvedInRange} AND ${agentFilter}`;
const wonInRange = `${resolved} AND result = 'won'`;
/** One group of the pass: its key, then the aggregates (element N of the SQL tuple is `g[N - 1]`). */
type Group = [key: string, ...values: Array<number | null>];
/** A panel keeps the groups its own count found (element `present`), as its GROUP BY did, sorted by key. */
const pick = (groups: "team_groups" | "territory_groups", present: number, value: (g: Group) => number | null): RowsFromPass => (row) =>
  [...(row[groups] as Group[])].sort((a, b) => byText(a[0], b[0])).filter((g) => Number(g[present - 1]) > 0).map((g) => keyed(g[0], value(g)));
const element = (n: number) => (g: Group) => g[n - 1] as number | null;

// Elements: 2 started, 3 fast FRT mean (`frt`: the fast path, as this panel always read it), 4 its count,
// 5 exact FRTs, 6 those within target, 7 resolution mean, 8 resolved, 9 won, 10 out-of-hours share of new, 11 new.
const teamAggregates = [
  `countIf(${started})`, `avgIf(frt, ${started} AND frt IS NOT NULL)`, `countIf(${started} AND frt IS NOT NULL)`,
  `countIf(${started} AND exact_frt IS NOT NULL)`, `countIf(${started} AND exact_frt IS NOT NULL AND exact_frt <= ${target})`,
  `avgIf(resolution_s, ${resolved})`, `countIf(${resolved})`,
  `countIf(${wonInRange})`, `avgIf(ooh, ${started} AND is_reopen = 0)`, `countIf(${started} AND is_reopen = 0)`,
];

/**
 * The conversation's territory: the greatest any of its cycles has (only an opening sets one). The rollup stores it
 * in each compacted cycle (migration 0013: the compactor looks it up, and rewrites a conversation's cycles when its
 * territory facts change), and so do the state's hot rows (`hot-rows.ts`: the board's statement 88 -> 70 ms p50 with
 * 42 hot cycles at 9.7M events). A hot cycle aggregated from its facts holds only its own (a later cycle none), so
 * without the hot rows, for every conversation with a hot cycle it is looked up in its facts, by key (`cycle_facts_v2`'s
 * small granules: `conversation_territories` by the same keys read most of its large ones, 35 ms more with 100 hot
 * cycles at 9.7M events). Before the first compaction
 * it comes from `conversation_territories` (migration 0011) for the conversations reopened in the range
 * (`reopened_ms`) or with a territory past cycle 1; FINAL merges a conversation's rows before that filter, so `terr`
 * is whole even when the territory and the reopen sit in rows not merged yet. Joining every cycle of the range to
 * that lookup was most of the board (156 ms p50 at 9.7M events, 58 without it).
 */
const lookedUp = "greatest(if(c.cycle = 1, c.territory, ct.terr), ct.later)";
function territoryOf(rollup: RollupState): { join: string; key: string } {
  if (!rollup.ready) {
    return { key: lookedUp, join: `LEFT JOIN (SELECT conversation_id, territory AS terr, later_territory AS later FROM conversation_territories FINAL
    WHERE tenant_id = {tenant:UUID} AND (reopened_ms >= {from_ms:Int64} OR later_territory != '')) AS ct ON ct.conversation_id = c.conversation_id` };
  }
  // The hot rows hold their conversation's territory too (`hot-rows.ts`).
  if (rollup.hot.length === 0 || rollup.hotRows !== undefined) return { join: "", key: "c.territory" };
  return {
    key: `if(ct.conversation_id = c.conversation_id, ${lookedUp}, c.territory)`,
    join: `LEFT JOIN (${STORED_MARK}SELECT conversation_id, max(territory) AS terr, maxIf(territory, cycle > 1) AS later FROM cycle_facts_v2
    WHERE tenant_id = {tenant:UUID} AND ${isHot} GROUP BY conversation_id) AS ct
    ON ct.conversation_id = c.conversation_id`,
  };
}
// Elements, after the team's: 12 started, 13 exact FRT mean, 14 its count, 15 won.
const territoryAggregates = [
  `countIf(${started})`, `avgIf(exact_frt, ${started} AND exact_frt IS NOT NULL)`, `countIf(${started} AND exact_frt IS NOT NULL)`, `countIf(${wonInRange})`,
];

/**
 * One pass (`pass.ts`) for both groupings: the cycles (started or resolved in the range) are read and joined to their
 * territory once, aggregated per (team, territory) as states (a few hundred groups), and those merged per team
 * (side 1) and per territory (side 2). Two passes read the cycles twice (~40 ms more at 9M events). Each side's
 * `g` holds every element, keyed by its own key as text. The cycles: `cycleKeys.startedOrResolved`, whose
 * `alive_until_minmax` test prunes (−25 ms against the plain OR of the two keys at 9.7M events).
 */
const aggregates = [...teamAggregates, ...territoryAggregates];
const asState = (aggregate: string) => aggregate.replace(/^(\w+)\(/, "$1State(");
const asMerge = (aggregate: string, i: number) => `${/^\w+/.exec(aggregate)![0]}Merge(s${i})`;
const boardPass: Pass = {
  id: "teams and territories",
  sql: (q) => {
    const territory = territoryOf(q.rollup ?? NO_ROLLUP);
    return overCycles(`SELECT groupArrayIf(g, side = 1) AS team_groups, groupArrayIf(g, side = 2) AS territory_groups
  FROM (SELECT side, tuple(group_key, ${aggregates.map(asMerge).join(", ")}) AS g
    FROM (SELECT team, ${territory.key} AS territory_key, ${aggregates.map((a, i) => `${asState(a)} AS s${i}`).join(",\n      ")}
      FROM cycles AS c ${territory.join} GROUP BY team, territory_key)
    ARRAY JOIN [1, 2] AS side GROUP BY side, if(side = 1, toString(team), territory_key) AS group_key)`, cycleKeys.startedOrResolved);
  },
};

const breakdown = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, unpack: RowsFromPass) =>
  onPass({ id, unit, kind: "breakdown", name, description }, { pass: boardPass, columns: ["team_groups", "territory_groups"], unpack });

export const teamBoardMetrics: MetricDefinition[] = [
  breakdown("team_volume", "count", t("Volumen por equipo", "Volume by team"), t("Ciclos iniciados en el rango por equipo inicial.", "Cycles started in the range by starting team."),
    pick("team_groups", 2, element(2))),
  breakdown("team_first_response_time_avg", "seconds", t("Primera respuesta por equipo", "First response by team"), t("Promedio de primera respuesta por equipo inicial.", "Mean FRT by starting team."),
    pick("team_groups", 4, element(3))),
  breakdown("team_sla_first_response_compliance", "share", t("Cumplimiento SLA por equipo", "SLA compliance by team"),
    t("Primeras respuestas dentro del objetivo / primeras respuestas, por equipo.", "First responses within target / first responses, per team."),
    pick("team_groups", 5, (g) => Number(g[5]) / Number(g[4]))),
  breakdown("team_resolution_time_avg", "seconds", t("Resolución por equipo", "Resolution time by team"), t("Inicio → resolución, ciclos resueltos en el rango.", "Start → resolve, cycles resolved in the range."),
    pick("team_groups", 8, element(7))),
  breakdown("team_conversions", "count", t("Conversiones por equipo", "Conversions by team"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    pick("team_groups", 9, element(9))),
  breakdown("team_out_of_hours_share", "share", t("Fuera de horario por equipo", "Out-of-hours share by team"), t("Conversaciones nuevas abiertas fuera de horario / nuevas.", "New conversations opened out of hours / new ones."),
    pick("team_groups", 11, element(10))),
  breakdown("territory_volume", "count", t("Volumen por territorio", "Volume by territory"), t("Ciclos iniciados en el rango por territorio del contacto.", "Cycles started in the range by the contact's territory."),
    pick("territory_groups", 12, element(12))),
  breakdown("territory_first_response_time_avg", "seconds", t("Primera respuesta por territorio", "First response by territory"), t("FRT promedio de ciclos iniciados en el rango.", "Mean FRT of cycles started in the range."),
    pick("territory_groups", 14, element(13))),
  breakdown("territory_conversions", "count", t("Conversiones por territorio", "Conversions by territory"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    pick("territory_groups", 15, element(15))),
];
