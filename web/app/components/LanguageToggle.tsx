import { useFetcher } from "@remix-run/react";
import { useI18n, useRootData } from "../lib/use-i18n";

/** Spanish ⇄ English for this session (kept in the session cookie). */
export function LanguageToggle() {
  const { t, locale } = useI18n();
  const fetcher = useFetcher();
  const csrf = useRootData().csrf;
  const next = locale === "en" ? "es-419" : "en";
  return (
    <button type="button" className="rounded-md px-2 py-1 text-sm text-white/90 hover:bg-white/10" data-testid="language"
      title={t("nav.switchLanguage")} lang={next}
      onClick={() => fetcher.submit({ intent: "locale", locale: next, csrf }, { method: "post", action: "/preferences" })}>
      <span className="sm:hidden">{next === "en" ? "EN" : "ES"}</span>
      <span className="hidden sm:inline">{t("nav.switchLanguage")}</span>
    </button>
  );
}
