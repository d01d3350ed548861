import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData, type ShouldRevalidateFunctionArgs } from "@remix-run/react";
import stylesheet from "./tailwind.css?url";
import { commitSession, ensureCsrf, getSession, preferredLocale } from "./lib/session.server";
import { translator, type Locale } from "./lib/i18n";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: stylesheet }, { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];
export const meta: MetaFunction = () => [{ title: "Centralita" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSession(request, context);
  const created = ensureCsrf(session);
  const locale: Locale = session.get("locale") ?? (await preferredLocale(request)) ?? "es-419";
  const headers = created ? { "Set-Cookie": await commitSession(request, context, session) } : undefined;
  return json({ csrf: session.get("csrf")!, locale, agent: session.get("agent") ?? null }, { headers });
}

/** Root data (CSRF token, language, who is signed in) changes only by signing in or out or switching language. */
export function shouldRevalidate({ formAction, formData }: ShouldRevalidateFunctionArgs) {
  if (formAction === "/login" || formAction === "/logout") return true;
  return formAction === "/preferences" && formData?.get("intent") === "locale";
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang={data?.locale ?? "es-419"} className="h-full">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#008069" />
        <Meta />
        <Links />
      </head>
      <body className="h-full bg-slate-100 text-slate-900 antialiased">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const t = translator(data?.locale ?? "es-419");
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="flex h-full items-center justify-center p-6">
      <div className="max-w-md rounded-xl bg-white p-6 text-center shadow">
        <h1 className="text-lg font-semibold">{notFound ? t("error.notFound") : t("error.title")}</h1>
        {!notFound && <p className="mt-2 text-sm text-slate-600">{t("errors.internal")}</p>}
        <a href="/inbox" className="mt-4 inline-block rounded-lg bg-wa-brand px-4 py-2 text-sm font-medium text-white">{t("error.home")}</a>
      </div>
    </main>
  );
}
