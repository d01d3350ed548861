import { cycleKeys, extractInRange, startedInRange } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition, type Text } from "./define.js";

/** Dashboard 5's rates (dashboard 8 is `teams-board.ts`). */

const agentFilter = `({f_agent:Nullable(UUID)} IS NULL OR has(assignees, {f_agent:Nullable(UUID)}))`;

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
