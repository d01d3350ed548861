/**
 * IANA time zones for the team and agent pickers: the Latin American ones first (where the customers are),
 * then every other zone the runtime knows. Built on the server and sent with the page, so the browser's own
 * (possibly different) zone list cannot make the markup differ.
 */
export const LATAM_TIME_ZONES = [
  "America/Mexico_City", "America/Monterrey", "America/Tijuana", "America/Cancun", "America/Bogota", "America/Lima",
  "America/Santiago", "America/Argentina/Buenos_Aires", "America/Sao_Paulo", "America/Caracas", "America/Guayaquil",
  "America/La_Paz", "America/Asuncion", "America/Montevideo", "America/Guatemala", "America/El_Salvador",
  "America/Tegucigalpa", "America/Managua", "America/Costa_Rica", "America/Panama", "America/Santo_Domingo",
  "America/Puerto_Rico", "America/Havana",
] as const;

export type TimeZoneGroups = { latam: string[]; others: string[] };

function knownZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.("timeZone") ?? ["UTC"];
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** LATAM first (in the order above), then the rest alphabetically; a zone in use is kept even if unknown here. */
export function timeZoneGroups(inUse: string[] = []): TimeZoneGroups {
  const latam = LATAM_TIME_ZONES.filter(isTimeZone) as string[];
  const seen = new Set(latam);
  const others = [...new Set([...knownZones(), "UTC", ...inUse])].filter((z) => !seen.has(z)).sort();
  return { latam, others };
}

/** "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires", for people rather than machines. */
export function zoneLabel(zone: string): string {
  const parts = zone.split("/");
  const place = parts.length > 1 ? parts.slice(1) : parts;
  return place.join(" / ").replace(/_/g, " ");
}
