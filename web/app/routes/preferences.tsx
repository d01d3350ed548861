import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { guardRouter, requireAgent, requireCsrf, runCommand } from "../lib/guard.server";
import { normalizeLocale } from "../lib/i18n";
import { commitSession, languageCookie } from "../lib/session.server";

const Preference = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("locale"), locale: z.enum(["es-419", "en"]) }),
  z.object({ intent: z.literal("presence"), presence: z.enum(["online", "away", "offline"]) }),
  z.object({ intent: z.literal("heartbeat"), idleSeconds: z.coerce.number().int().min(0).max(604800) }),
]);

export async function loader() {
  return redirect("/inbox");
}

/** The person's own settings: language (kept on this browser), presence, and the inbox-open heartbeat. */
export async function action({ request, context }: ActionFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  const form = await request.formData();
  await requireCsrf(request, signedIn.session, form, signedIn.locale);
  const parsed = Preference.safeParse(Object.fromEntries(form));
  if (!parsed.success) return json({ ok: false as const, error: parsed.error.message }, { status: 400 });
  const input = parsed.data;
  if (input.intent === "locale") {
    const locale = normalizeLocale(input.locale);
    signedIn.session.set("locale", locale);
    const headers = new Headers();
    headers.append("Set-Cookie", await commitSession(request, context, signedIn.session));
    headers.append("Set-Cookie", await languageCookie.serialize(locale));
    return json({ ok: true as const }, { headers });
  }
  if (input.intent === "heartbeat") {
    await guardRouter(request, context, signedIn, signedIn.api.heartbeat(input.idleSeconds)).catch(() => undefined);
    return json({ ok: true as const });
  }
  const result = await runCommand(request, context, signedIn, () => signedIn.api.setPresence(signedIn.agent.id, input.presence));
  return json(result, { status: result.ok ? 200 : 409 });
}
