import type { Translate, MessageKey } from "../../lib/i18n";

/** The words behind a breakdown key: names for ids, "09:00" for hours, stage names for the funnel. */
export function keyLabel(breakdown: string, key: string | undefined, labels: Record<string, string>, t: Translate): string {
  if (key === undefined || key === "" || key === "00000000-0000-0000-0000-000000000000") return t("dash.unknown");
  switch (breakdown) {
    case "agent": case "team": case "pair": return labels[key] ?? key.slice(0, 8);
    case "hour_of_day": return `${key.padStart(2, "0")}:00`;
    case "score": return `${key} ★`;
    case "stage": return t(`dash.stage.${key}` as MessageKey);
    case "method": {
      const text = t(`dash.method.${key}` as MessageKey);
      return text.startsWith("dash.method.") ? key : text;
    }
    default: return key;
  }
}

/** The inbox view behind a "now" number, so a supervisor can open the conversations it counts. */
export const inboxDrill: Record<string, string> = {
  open_now: "/inbox?view=all&status=open",
  pending_now: "/inbox?view=all&status=pending",
  unassigned_now: "/inbox?view=unassigned",
  oldest_waiting_now: "/inbox?view=unassigned",
  sla_at_risk_now: "/inbox?view=unassigned",
};

/** A bucket as people read it: "3 mar" for days and weeks, "14:00" within a day. */
export function bucketLabel(bucket: string, kind: "hour" | "day" | "week" | "minute", locale: string): string {
  const [date, time] = bucket.split(" ");
  if (kind === "hour" || kind === "minute") return time ?? bucket;
  const [y, m, d] = (date ?? bucket).split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}
