import { useFetcher } from "@remix-run/react";
import { useRootData } from "../lib/use-i18n";

export type CommandResult = { ok: true; intent?: string } | { ok: false; error: string; intent?: string };

/** Posts one conversation command to the page's action without navigating; the page revalidates after. */
export function useCommand(key?: string) {
  const fetcher = useFetcher<CommandResult>({ key });
  const csrf = useRootData()?.csrf ?? "";
  const run = (fields: Record<string, string>) => fetcher.submit({ ...fields, csrf }, { method: "post" });
  const error = fetcher.state === "idle" && fetcher.data && !fetcher.data.ok ? fetcher.data.error : null;
  return { fetcher, run, busy: fetcher.state !== "idle", error };
}
