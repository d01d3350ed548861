import { cycleKeys, extractInRange, overExactFrt, resolvedInRange, startedInRange } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition, type Text } from "./define.js";

/**
 * Dashboard 8 (teams and territories) and dashboard 5's rates. A cycle's team is the team holding it at its
 * first event; its territory is the conversation's, set when it was opened.
 */

const target = "{frt_target:UInt32}";
const territoryOf = `(SELECT conversation_id, max(territory) AS terr FROM cycle_facts WHERE tenant_id = {tenant:UUID} GROUP BY conversation_id) AS tr`;
const agentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;

const breakdown = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, sql: string) =>
  implemented({ id, unit, kind: "breakdown", name, description, sql: () => sql });

export const teamMetrics: MetricDefinition[] = [
  breakdown("team_sla_first_response_compliance", "share", t("Cumplimiento SLA por equipo", "SLA compliance by team"),
    t("Primeras respuestas dentro del objetivo / primeras respuestas, por equipo.", "First responses within target / first responses, per team."),
    overExactFrt(`SELECT toString(team) AS key, countIf(frt <= ${target}) / count() AS value FROM frt_cycles
      WHERE ${startedInRange} AND frt IS NOT NULL AND ${agentFilter} GROUP BY team ORDER BY key`, cycleKeys.started)),
  breakdown("team_resolution_time_avg", "seconds", t("Resolución por equipo", "Resolution time by team"), t("Inicio → resolución, ciclos resueltos en el rango.", "Start → resolve, cycles resolved in the range."),
    overCycles(`SELECT toString(team) AS key, avg(resolution_s) AS value FROM cycles WHERE ${resolvedInRange} AND ${agentFilter} GROUP BY team ORDER BY key`, cycleKeys.resolved)),
  breakdown("team_conversions", "count", t("Conversiones por equipo", "Conversions by team"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    overCycles(`SELECT toString(team) AS key, toFloat64(count()) AS value FROM cycles WHERE ${resolvedInRange} AND result = 'won' AND ${agentFilter} GROUP BY team ORDER BY key`, cycleKeys.resolved)),
  breakdown("team_out_of_hours_share", "share", t("Fuera de horario por equipo", "Out-of-hours share by team"), t("Conversaciones nuevas abiertas fuera de horario / nuevas.", "New conversations opened out of hours / new ones."),
    overCycles(`SELECT toString(team) AS key, avg(ooh) AS value FROM cycles WHERE ${startedInRange} AND is_reopen = 0 AND ${agentFilter} GROUP BY team ORDER BY key`, cycleKeys.started)),
  breakdown("territory_volume", "count", t("Volumen por territorio", "Volume by territory"), t("Ciclos iniciados en el rango por territorio del contacto.", "Cycles started in the range by the contact's territory."),
    overCycles(`SELECT tr.terr AS key, toFloat64(count()) AS value FROM cycles AS c INNER JOIN ${territoryOf} ON tr.conversation_id = c.conversation_id
      WHERE ${startedInRange} AND ${agentFilter} GROUP BY tr.terr ORDER BY key`, cycleKeys.started)),
  breakdown("territory_first_response_time_avg", "seconds", t("Primera respuesta por territorio", "First response by territory"), t("FRT promedio de ciclos iniciados en el rango.", "Mean FRT of cycles started in the range."),
    overExactFrt(`SELECT tr.terr AS key, avg(frt) AS value FROM frt_cycles AS c INNER JOIN ${territoryOf} ON tr.conversation_id = c.conversation_id
      WHERE ${startedInRange} AND frt IS NOT NULL AND ${agentFilter} GROUP BY tr.terr ORDER BY key`, cycleKeys.started)),
  breakdown("territory_conversions", "count", t("Conversiones por territorio", "Conversions by territory"), t("Ciclos ganados resueltos en el rango.", "Won cycles resolved in the range."),
    overCycles(`SELECT tr.terr AS key, toFloat64(count()) AS value FROM cycles AS c INNER JOIN ${territoryOf} ON tr.conversation_id = c.conversation_id
      WHERE ${resolvedInRange} AND result = 'won' AND ${agentFilter} GROUP BY tr.terr ORDER BY key`, cycleKeys.resolved)),
];

const transfers = extractInRange("transfers");
const scalar = (id: string, unit: MetricDefinition["unit"], name: Text, description: Text, sql: string) =>
  implemented({ id, unit, kind: "scalar", name, description, sql: () => sql });

export const transferRateMetrics: MetricDefinition[] = [
  scalar("transfer_rate", "share", t("Tasa de transferencia", "Transfer rate"), t("Transferencias en el rango / conversaciones atendidas en él.", "Transfers in the range / conversations handled in it."),
    overCycles(`SELECT (SELECT count() FROM ${transfers} AS e) / nullIf(uniqExactIf(conversation_id, length(handlers) > 0), 0) AS value
      FROM cycles WHERE start_at < {to:DateTime64(3, 'UTC')} AND (resolve_at IS NULL OR resolve_at >= {from:DateTime64(3, 'UTC')}) AND ${agentFilter}`, cycleKeys.overlapping)),
  scalar("time_before_transfer_avg", "seconds", t("Tiempo antes de transferir", "Time before transfer"), t("De la asignación del agente que transfiere a la transferencia.", "From the transferring agent's assignment to the transfer."),
    overCycles(`SELECT avgOrNull((s.3 - s.2) / 1000) AS value FROM cycles AS c ARRAY JOIN c.stints AS s
      INNER JOIN (SELECT conversation_id, cycle, toUUIDOrZero(from_agent_id) AS from_agent, toUnixTimestamp64Milli(occurred_at) AS ms FROM ${transfers} AS e) AS x
      ON x.conversation_id = c.conversation_id AND x.cycle = c.cycle AND x.from_agent = s.1 AND x.ms = s.3
      WHERE ({f_agent:Nullable(UUID)} IS NULL OR s.1 = {f_agent:Nullable(UUID)})`, cycleKeys.overlapping)),
  scalar("transfer_then_resolved_rate", "share", t("Transferidas y resueltas", "Transferred then resolved"), t("Ciclos transferidos iniciados en el rango que terminaron resueltos (no abandonados, vencidos ni abiertos).", "Transferred cycles started in the range that ended resolved (not abandoned, expired or still open)."),
    overCycles(`SELECT if(count() = 0, NULL, countIf(resolve_at IS NOT NULL AND result NOT IN ('abandoned', 'expired')) / count()) AS value FROM cycles
      WHERE ${startedInRange} AND transfer_n > 0 AND ${agentFilter}`, cycleKeys.started)),
];
