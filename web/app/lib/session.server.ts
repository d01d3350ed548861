import { createCookie, createCookieSessionStorage, redirect, type AppLoadContext, type Session, type SessionStorage } from "@remix-run/node";
import { webConfig } from "./config.server";
import { newCsrfToken } from "./csrf.server";
import { normalizeLocale, type Locale } from "./i18n";
import { openToken, sealToken } from "./token-box.server";
import type { Role } from "./router-types";

export type SessionAgent = { id: string; name: string; role: Role; tenantId: string };
/** The router token stays here, sealed, in a signed httpOnly cookie: the browser can neither read nor use it. */
export type SessionData = { token: string; expiresAt: string; agent: SessionAgent; csrf: string; locale: Locale };
export type WebSession = Session<SessionData>;

const TWELVE_HOURS = 12 * 3600;
const storages = new Map<string, SessionStorage<SessionData>>();

/** One storage per secret and scheme: the cookie is Secure whenever the page is served over https. */
function storageFor(secret: string, secure: boolean): SessionStorage<SessionData> {
  const key = `${secure}:${secret}`;
  let storage = storages.get(key);
  if (!storage) {
    storage = createCookieSessionStorage<SessionData>({
      cookie: { name: "centralita_session", httpOnly: true, sameSite: "lax", path: "/", secure, secrets: [secret], maxAge: TWELVE_HOURS },
    });
    storages.set(key, storage);
  }
  return storage;
}

const isHttps = (request: Request) =>
  new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";

export function sessionStorage(request: Request, context: AppLoadContext) {
  return storageFor(webConfig(context).sessionSecret, isHttps(request));
}

export async function getSession(request: Request, context: AppLoadContext): Promise<WebSession> {
  return sessionStorage(request, context).getSession(request.headers.get("cookie"));
}

export async function commitSession(request: Request, context: AppLoadContext, session: WebSession): Promise<string> {
  return sessionStorage(request, context).commitSession(session);
}

export async function destroySession(request: Request, context: AppLoadContext, session: WebSession): Promise<string> {
  return sessionStorage(request, context).destroySession(session);
}

/** Every session, signed in or not, carries a CSRF token; returns whether one had to be made. */
export function ensureCsrf(session: WebSession): boolean {
  if (session.get("csrf")) return false;
  session.set("csrf", newCsrfToken());
  return true;
}

/** The language choice outlives a session: signing out and in again keeps it on this browser. */
export const languageCookie = createCookie("centralita_lang", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 365 * 24 * 3600 });

export async function preferredLocale(request: Request): Promise<Locale | null> {
  const value = await languageCookie.parse(request.headers.get("cookie"));
  return typeof value === "string" ? normalizeLocale(value) : null;
}

export async function signOutRedirect(request: Request, context: AppLoadContext, session: WebSession) {
  const next = new URL(request.url).pathname;
  const target = next.startsWith("/inbox") ? `/login?next=${encodeURIComponent(next)}` : "/login";
  return redirect(target, { headers: { "Set-Cookie": await destroySession(request, context, session) } });
}

export function setRouterToken(session: WebSession, context: AppLoadContext, token: string) {
  session.set("token", sealToken(token, webConfig(context).sessionSecret));
}

/** The signed-in agent's router token, or null when there is none (or it no longer opens). */
export function routerToken(session: WebSession, context: AppLoadContext): string | null {
  const box = session.get("token");
  return box ? openToken(box, webConfig(context).sessionSecret) : null;
}
