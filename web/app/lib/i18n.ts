import { en } from "./i18n-en";
import { es } from "./i18n-es";

export const locales = ["es-419", "en"] as const;
export type Locale = (typeof locales)[number];
export type MessageKey = keyof typeof es;
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { "es-419": es, en };

/** Anything that is not English is the default Spanish (es-419): "en-US" → "en", "es-MX" → "es-419". */
export function normalizeLocale(value: string | null | undefined): Locale {
  return value?.toLowerCase().startsWith("en") ? "en" : "es-419";
}

/** `{name}` placeholders are filled from params; a missing param stays visible rather than vanishing. */
export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, params) => {
    const template = dictionary[key] ?? es[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
  };
}

/** "2 h 05 min", "12 min", "45 s": waiting times and the 24-hour window countdown. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, "0")} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${totalSeconds} s`;
}

export function formatTime(iso: string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

export function formatDateTime(iso: string, locale: Locale, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone }).format(new Date(iso));
}

export function formatMoney(value: number, currency: string, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
}
