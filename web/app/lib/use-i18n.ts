import { useRouteLoaderData } from "@remix-run/react";
import { translator, type Locale } from "./i18n";

type RootData = { csrf: string; locale: Locale; agent: { id: string; name: string; role: string } | null };

export function useRootData(): RootData {
  return useRouteLoaderData("root") as RootData;
}

/** The signed-in person's language, from the root loader; Spanish when nothing says otherwise. */
export function useI18n() {
  const locale = useRootData()?.locale ?? "es-419";
  return { locale, t: translator(locale) };
}
