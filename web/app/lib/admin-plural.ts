import type { MessageKey, Translate } from "./i18n";

/** "1 regla" / "3 reglas": the `.one` variant of a counted string when there is exactly one. */
export function counted(t: Translate, key: MessageKey, count: number, params: Record<string, string | number> = {}): string {
  return count === 1 ? t(`${key}.one` as MessageKey, { ...params, count }) : t(key, { ...params, count });
}
