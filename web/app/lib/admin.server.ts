import { json, type ActionFunctionArgs, type AppLoadContext } from "@remix-run/node";
import { describeAdminError, invalidFields, type AdminResult } from "./admin-errors";
import type { Parsed } from "./admin-forms";
import { guardRouter, requireAgent, requireCsrf, type SignedIn } from "./guard.server";
import { translator, type MessageKey } from "./i18n";
import { RouterError, type RouterClient } from "./router.server";

export type AdminApi = RouterClient["admin"];

/**
 * The admin area: admins configure, supervisors look (where the router lets them), agents are refused with a
 * 403 the page explains. `adminOnly` pages refuse supervisors too.
 */
export async function requireAdminArea(request: Request, context: AppLoadContext, opts: { adminOnly?: boolean } = {}): Promise<SignedIn> {
  const signedIn = await requireAgent(request, context);
  const { role } = signedIn.agent;
  if (role === "agent" || (opts.adminOnly && role !== "admin")) throw json({ code: "forbidden" }, { status: 403 });
  return signedIn;
}

/** Loads for an admin page: a router 403 or 404 becomes that page status instead of a crash. */
export async function adminLoad<T>(request: Request, context: AppLoadContext, signedIn: SignedIn, work: Promise<T>): Promise<T> {
  try {
    return await guardRouter(request, context, signedIn, work);
  } catch (error) {
    if (error instanceof RouterError && (error.status === 403 || error.status === 404)) throw json({ code: error.body.code }, { status: error.status });
    throw error;
  }
}

type ActionSpec<I> = {
  parse: (form: FormData) => Parsed<I>;
  run: (api: AdminApi, input: I) => Promise<unknown>;
  /** The sentence for a duplicate without a named field (say a template's name and language). */
  conflict?: MessageKey;
};

const intentOf = (form: FormData) => String(form.get("intent") ?? "");
const targetOf = (input: unknown) => (input as { id?: unknown }).id;

/** Admin writes: admin role, same-origin CSRF, the form parsed by intent, one router call, a result in the person's language. */
export async function adminAction<I>({ request, context }: ActionFunctionArgs, spec: ActionSpec<I>) {
  const signedIn = await requireAdminArea(request, context, { adminOnly: true });
  const form = await request.formData();
  const intent = intentOf(form);
  // An expired page is said beside the form (reload and retry), not as a whole-page refusal.
  const csrfRefused = await requireCsrf(request, signedIn.session, form, signedIn.locale).then(() => null, (refusal: unknown) => refusal);
  if (csrfRefused instanceof Response) {
    return json<AdminResult>({ ok: false, intent, error: translator(signedIn.locale)("errors.csrf"), fields: [] }, { status: 403 });
  }
  if (csrfRefused) throw csrfRefused;
  const parsed = spec.parse(form);
  if (!parsed.ok) return json<AdminResult>({ ok: false, intent, ...invalidFields(parsed.fields, signedIn.locale, parsed.hours) }, { status: 400 });
  try {
    await guardRouter(request, context, signedIn, spec.run(signedIn.api.admin, parsed.data));
    return json<AdminResult>({ ok: true, intent });
  } catch (error) {
    if (!(error instanceof RouterError)) throw error;
    const target = targetOf(parsed.data);
    const refusal = describeAdminError(error.body, {
      locale: signedIn.locale, myAgentId: signedIn.agent.id, targetId: typeof target === "string" ? target : undefined, conflict: spec.conflict,
    });
    return json<AdminResult>({ ok: false, intent, ...refusal }, { status: error.status >= 500 ? 503 : error.status });
  }
}
