import type { Locale } from "./i18n";

export type Unit = "count" | "seconds" | "share" | "money" | "score" | "per_minute";

/** "1 h 05 min", "4 min 12 s", "38 s": durations people read at a glance, not decimal seconds. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s >= 86_400) return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

/** A metric value as the screen shows it; `currency` names money's currency when the row carries one. */
export function formatMetric(value: number | null | undefined, unit: Unit, locale: Locale, currency?: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  switch (unit) {
    case "seconds": return formatSeconds(value);
    case "share": return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
    case "money": return currency
      ? new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(value)
      : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case "score":
    case "per_minute": return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value);
    default: return new Intl.NumberFormat(locale, { maximumFractionDigits: value % 1 === 0 ? 0 : 2 }).format(value);
  }
}

/** Whether a rise in this metric is good news: shorter times and fewer breaches are. */
export function higherIsBetter(metricId: string, unit: Unit): boolean {
  if (unit === "seconds") return false;
  return !/(breach|abandon|reopen|lost|failure|escalation|transfer|unassigned|oldest|at_risk|pending|multi_transfer)/.test(metricId);
}

export type Change = { text: string; direction: "up" | "down" | "flat"; good: boolean } | null;

/** Change against the previous period: percentage points for shares, relative change for the rest. */
export function changeOf(current: number | null, previous: number | null, unit: Unit, metricId: string, locale: Locale): Change {
  if (current === null || previous === null) return null;
  const delta = unit === "share" ? (current - previous) * 100 : previous === 0 ? null : ((current - previous) / Math.abs(previous)) * 100;
  if (delta === null) return null;
  const direction = Math.abs(delta) < 0.05 ? "flat" : delta > 0 ? "up" : "down";
  const text = unit === "share"
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(delta)} pp`
    : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(delta / 100);
  const good = direction === "flat" || (direction === "up") === higherIsBetter(metricId, unit);
  return { text, direction, good };
}
