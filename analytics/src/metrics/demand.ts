import { onPass, t, type MetricDefinition, type Text } from "./define.js";
import { columnValue } from "./pass.js";
import { inboundHeatmapRows, inboundPass, inboundPeakHourRows, startedPass } from "./shared.js";

/** Dashboard 9 (part): demand by contact kind and time, from the board's shared passes (`shared.ts`). */

const started = (id: string, name: Text, description: Text, column: string) =>
  onPass({ id, name, description, unit: "count", kind: "scalar" }, { pass: startedPass, ...columnValue(column) });

export const demandMetrics: MetricDefinition[] = [
  started("new_contacts", t("Contactos nuevos", "New contacts"), t("Conversaciones nuevas de contactos que nunca habían escrito.", "New conversations from contacts who never wrote before."), "new_contact_n"),
  started("returning_contacts", t("Contactos recurrentes", "Returning contacts"), t("Conversaciones nuevas de contactos que ya habían escrito.", "New conversations from contacts who wrote before."), "returning_n"),
  started("out_of_hours_conversations", t("Conversaciones fuera de horario", "Out-of-hours conversations"), t("Conversaciones abiertas fuera del horario de su equipo.", "Conversations opened outside their team's hours."), "ooh_n"),
  onPass({
    id: "inbound_heatmap", unit: "count", kind: "breakdown",
    name: t("Mapa de calor de entrantes", "Inbound heatmap"), description: t("Mensajes entrantes por día de la semana (key, 1 = lunes) × hora (series) en la zona elegida.", "Inbound messages by weekday (key, 1 = Monday) × hour (series) in the chosen zone."),
  }, { pass: inboundPass, columns: ["groups", "slots"], unpack: inboundHeatmapRows }),
  onPass({
    id: "messages_per_conversation", unit: "count", kind: "scalar",
    name: t("Mensajes por conversación", "Messages per conversation"), description: t("Mensajes (cliente, agentes y automáticos) por ciclo iniciado en el rango.", "Messages (customer, agents and automated) per cycle started in the range."),
  }, { pass: startedPass, ...columnValue("msgs_avg") }),
  onPass({
    id: "peak_hour", unit: "count", kind: "breakdown",
    name: t("Hora pico", "Peak hour"), description: t("La hora del día (key, en la zona elegida) con más mensajes entrantes, y cuántos.", "The hour of day (key, in the chosen zone) with most inbound messages, and how many."),
  }, { pass: inboundPass, columns: ["groups", "slots"], unpack: inboundPeakHourRows }),
];
