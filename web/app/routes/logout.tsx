import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { webConfig } from "../lib/config.server";
import { csrfMatches, isSameOrigin } from "../lib/csrf.server";
import { routerClient } from "../lib/router.server";
import { destroySession, getSession, routerToken } from "../lib/session.server";

export async function loader() {
  return redirect("/inbox");
}

/** Revokes the router token first, so a copied cookie is worthless afterwards, then drops the session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  const form = await request.formData();
  if (!isSameOrigin(request) || !csrfMatches(session.get("csrf"), form.get("csrf"))) return redirect("/inbox");
  const token = routerToken(session, context);
  if (token) await routerClient(webConfig(context).routerUrl, token).logout().catch(() => undefined);
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request, context, session) } });
}
