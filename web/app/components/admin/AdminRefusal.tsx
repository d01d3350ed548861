import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useI18n } from "../../lib/use-i18n";

/** Refusals (403), missing records (404) and outages, inside the admin frame when the frame itself loaded. */
export function AdminRefusal() {
  const error = useRouteError();
  const { t } = useI18n();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const title = status === 403 ? "admin.denied.title" : status === 404 ? "error.notFound" : "error.title";
  const body = status === 403 ? "admin.denied.body" : status === 404 ? "admin.errors.notFound" : "errors.unavailable";
  return (
    <div role="alert" data-testid="admin-denied" data-status={status} className="mx-auto mt-10 max-w-md rounded-2xl bg-white p-6 text-center shadow-sm">
      <p className="text-4xl font-semibold text-slate-300">{status}</p>
      <h1 className="mt-2 text-lg font-semibold text-slate-800">{t(title)}</h1>
      <p className="mt-1 text-sm text-slate-500">{t(body)}</p>
      <Link to={status === 403 ? "/inbox" : "/admin"} className="mt-4 inline-block rounded-lg bg-wa-brand px-4 py-2 text-sm font-medium text-white">
        {t(status === 403 ? "admin.backToInbox" : "admin.nav.overview")}
      </Link>
    </div>
  );
}

