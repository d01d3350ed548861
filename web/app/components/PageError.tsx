import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { AppNav } from "./AppNav";
import { useI18n } from "../lib/use-i18n";
import type { MessageKey } from "../lib/i18n";

/**
 * A section's error page: the top navigation stays, and the refusal says why in the reader's language (403 not
 * allowed, 503 analytics not configured, a 4xx's own message otherwise).
 */
export function PageError({ testId, forbidden, unavailable }: { testId: string; forbidden: MessageKey; unavailable: MessageKey }) {
  const error = useRouteError();
  const { t } = useI18n();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message = status === 403 ? t(forbidden) : status === 503 ? t(unavailable)
    : isRouteErrorResponse(error) ? (error.data as { message?: string })?.message ?? error.statusText : t("error.title");
  return (
    <div className="flex h-full flex-col bg-slate-50">
      <AppNav />
      <div className="m-6 rounded-lg border border-amber-200 bg-amber-50 p-4 text-amber-900" role="alert" data-testid={testId} data-status={status}>{message}</div>
    </div>
  );
}
