import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CsrfField } from "../components/CsrfField";
import { webConfig } from "../lib/config.server";
import { csrfMatches, isSameOrigin } from "../lib/csrf.server";
import { describeError } from "../lib/errors";
import { normalizeLocale, translator } from "../lib/i18n";
import { RouterError, routerClient } from "../lib/router.server";
import { commitSession, getSession, preferredLocale, setRouterToken } from "../lib/session.server";
import { useI18n } from "../lib/use-i18n";

export const meta: MetaFunction = () => [{ title: "Centralita · Entrar" }];

const LoginForm = z.object({ email: z.string().trim().email().max(254), password: z.string().min(1).max(200) });

/** Only paths inside the app: a crafted ?next= must not send anyone to another site. */
const safeNext = (value: string | null) => (value && /^\/inbox(\/[\w-]*)?$/.test(value) ? value : "/inbox");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await getSession(request, context);
  if (session.get("token")) return redirect("/inbox");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  const form = await request.formData();
  const locale = session.get("locale") ?? (await preferredLocale(request)) ?? "es-419";
  const t = translator(locale);
  if (!isSameOrigin(request) || !csrfMatches(session.get("csrf"), form.get("csrf"))) return json({ error: t("errors.csrf") }, { status: 403 });
  const parsed = LoginForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ error: t("errors.invalid_credentials") }, { status: 400 });
  try {
    const login = await routerClient(webConfig(context).routerUrl).login(parsed.data.email, parsed.data.password);
    const { agent } = login;
    setRouterToken(session, context, login.token);
    session.set("expiresAt", login.expiresAt);
    session.set("agent", { id: agent.id, name: agent.name, role: agent.role, tenantId: agent.tenantId });
    session.set("locale", (await preferredLocale(request)) ?? normalizeLocale(agent.locale));
    const next = safeNext(new URL(request.url).searchParams.get("next"));
    return redirect(next, { headers: { "Set-Cookie": await commitSession(request, context, session) } });
  } catch (error) {
    if (!(error instanceof RouterError)) throw error;
    return json({ error: describeError(error.body, t) }, { status: error.status === 429 ? 429 : 401 });
  }
}

export default function Login() {
  const { t } = useI18n();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const busy = navigation.state !== "idle";
  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-b from-wa-brand to-wa-dark p-4">
      <Form method="post" action={`/login${params.get("next") ? `?next=${encodeURIComponent(params.get("next")!)}` : ""}`}
        className="w-full max-w-sm space-y-4 rounded-2xl bg-white p-6 shadow-xl">
        <CsrfField />
        <div>
          <h1 className="text-xl font-semibold text-slate-900">{t("login.title")}</h1>
          <p className="text-sm text-slate-500">{t("login.subtitle")}</p>
        </div>
        <label className="block text-sm font-medium text-slate-700">
          {t("login.email")}
          <input name="email" type="email" autoComplete="username" required autoFocus
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 focus:border-wa-brand focus:outline-none focus:ring-2 focus:ring-wa-brand/30" />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          {t("login.password")}
          <input name="password" type="password" autoComplete="current-password" required
            className="mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 focus:border-wa-brand focus:outline-none focus:ring-2 focus:ring-wa-brand/30" />
        </label>
        {result?.error && <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700">{result.error}</p>}
        <button type="submit" disabled={busy}
          className="w-full rounded-lg bg-wa-brand px-4 py-2 font-medium text-white hover:bg-wa-dark disabled:opacity-60">
          {busy ? t("loading") : t("login.submit")}
        </button>
      </Form>
    </main>
  );
}
