import { json, type AppLoadContext } from "@remix-run/node";
import { webConfig } from "./config.server";
import { CSRF_FIELD, csrfMatches, isSameOrigin } from "./csrf.server";
import { describeError } from "./errors";
import { translator, type Locale } from "./i18n";
import { RouterError, routerClient } from "./router.server";
import { getSession, routerToken, signOutRedirect, type SessionAgent, type WebSession } from "./session.server";

export type SignedIn = { session: WebSession; agent: SessionAgent; locale: Locale; api: ReturnType<typeof routerClient> };

/** Loaders and actions behind the login: no session (or an expired one) goes to the login page. */
export async function requireAgent(request: Request, context: AppLoadContext): Promise<SignedIn> {
  const session = await getSession(request, context);
  const token = routerToken(session, context);
  const agent = session.get("agent");
  const expiresAt = session.get("expiresAt");
  if (!token || !agent || (expiresAt && Date.parse(expiresAt) <= Date.now())) throw await signOutRedirect(request, context, session);
  return { session, agent, locale: session.get("locale") ?? "es-419", api: routerClient(webConfig(context).routerUrl, token) };
}

/** A router 401 means the token was revoked or expired: sign out here too. Anything else goes up. */
export async function guardRouter<T>(request: Request, context: AppLoadContext, signedIn: SignedIn, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof RouterError && error.status === 401) throw await signOutRedirect(request, context, signedIn.session);
    throw error;
  }
}

/** Mutations only from our own pages: same origin, and the session's CSRF token in the form. */
export async function requireCsrf(request: Request, session: WebSession, form: FormData, locale: Locale) {
  if (!isSameOrigin(request) || !csrfMatches(session.get("csrf"), form.get(CSRF_FIELD))) {
    throw json({ ok: false as const, error: translator(locale)("errors.csrf") }, { status: 403 });
  }
}

export type ActionResult = { ok: true; notice?: string } | { ok: false; error: string };

/** Runs a router command for an action: a refusal becomes a message in the person's language, not a crash. */
export async function runCommand(request: Request, context: AppLoadContext, signedIn: SignedIn, work: () => Promise<unknown>): Promise<ActionResult> {
  try {
    await guardRouter(request, context, signedIn, work());
    return { ok: true };
  } catch (error) {
    if (error instanceof RouterError) return { ok: false, error: describeError(error.body, translator(signedIn.locale), signedIn.agent.id) };
    throw error;
  }
}
