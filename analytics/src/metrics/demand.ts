import { cycleAgentFilter, cycleKeys, startedInRange } from "../query/cycles.js";
import { implemented, overCycles, t, type MetricDefinition } from "./define.js";
import { inboundByHourAndAgent, startedCounts } from "./shared.js";

/** Dashboard 9 (part) and 8: demand by contact kind and time, and per-team / per-territory breakdowns. */

/** New cycles started in the range (agent filter applied): element `i` of the shared `startedCounts`. */
const scalar = (id: string, name: ReturnType<typeof t>, description: ReturnType<typeof t>, i: number) => implemented({
  id, name, description, unit: "count", kind: "scalar", sql: () => `SELECT tupleElement(${startedCounts}, ${i}) AS value`,
});

export const demandMetrics: MetricDefinition[] = [
  scalar("new_contacts", t("Contactos nuevos", "New contacts"), t("Conversaciones nuevas de contactos que nunca habían escrito.", "New conversations from contacts who never wrote before."), 3),
  scalar("returning_contacts", t("Contactos recurrentes", "Returning contacts"), t("Conversaciones nuevas de contactos que ya habían escrito.", "New conversations from contacts who wrote before."), 4),
  scalar("out_of_hours_conversations", t("Conversaciones fuera de horario", "Out-of-hours conversations"), t("Conversaciones abiertas fuera del horario de su equipo.", "Conversations opened outside their team's hours."), 5),
  implemented({
    id: "inbound_heatmap", unit: "count", kind: "breakdown",
    name: t("Mapa de calor de entrantes", "Inbound heatmap"), description: t("Mensajes entrantes por día de la semana (key, 1 = lunes) × hora (series) en la zona elegida.", "Inbound messages by weekday (key, 1 = Monday) × hour (series) in the chosen zone."),
    sql: () => `SELECT toString(toDayOfWeek(toTimeZone(hour, {tz:String}))) AS key, toString(toHour(toTimeZone(hour, {tz:String}))) AS series, toFloat64(sum(n)) AS value
      FROM ${inboundByHourAndAgent}
      GROUP BY key, series ORDER BY toUInt8(key), toUInt8(series)`,
  }),
  implemented({
    id: "messages_per_conversation", unit: "count", kind: "scalar",
    name: t("Mensajes por conversación", "Messages per conversation"), description: t("Mensajes (cliente, agentes y automáticos) por ciclo iniciado en el rango.", "Messages (customer, agents and automated) per cycle started in the range."),
    sql: () => overCycles(`SELECT avgOrNull(length(msgs) + automated_n) AS value FROM cycles WHERE ${startedInRange} AND ${cycleAgentFilter}`, cycleKeys.started),
  }),
  implemented({
    id: "peak_hour", unit: "count", kind: "breakdown",
    name: t("Hora pico", "Peak hour"), description: t("La hora del día (key, en la zona elegida) con más mensajes entrantes, y cuántos.", "The hour of day (key, in the chosen zone) with most inbound messages, and how many."),
    sql: () => `SELECT toString(toHour(toTimeZone(hour, {tz:String}))) AS key, toFloat64(sum(n)) AS value
      FROM ${inboundByHourAndAgent}
      GROUP BY key ORDER BY value DESC, toUInt8(key) LIMIT 1`,
  }),
  implemented({
    id: "team_volume", unit: "count", kind: "breakdown",
    name: t("Volumen por equipo", "Volume by team"), description: t("Ciclos iniciados en el rango por equipo inicial.", "Cycles started in the range by starting team."),
    sql: () => overCycles(`SELECT toString(team) AS key, toFloat64(count()) AS value FROM cycles WHERE ${startedInRange} AND ${cycleAgentFilter} GROUP BY team ORDER BY key`, cycleKeys.started),
  }),
  implemented({
    id: "team_first_response_time_avg", unit: "seconds", kind: "breakdown",
    name: t("Primera respuesta por equipo", "First response by team"), description: t("Promedio de primera respuesta por equipo inicial.", "Mean FRT by starting team."),
    sql: () => overCycles(`SELECT toString(team) AS key, avg(frt) AS value FROM cycles WHERE ${startedInRange} AND ${cycleAgentFilter} AND frt IS NOT NULL GROUP BY team ORDER BY key`, cycleKeys.started),
  }),
];
