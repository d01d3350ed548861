import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, isRouteErrorResponse, useLoaderData, useRouteError, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Composer } from "../components/Composer";
import { ContactPanel } from "../components/ContactPanel";
import { ConversationHeader } from "../components/ConversationHeader";
import { Timeline } from "../components/Timeline";
import { ConversationIntent, formToIntent, runIntent } from "../lib/conversation-actions.server";
import { guardRouter, requireAgent, requireCsrf, runCommand } from "../lib/guard.server";
import { translator } from "../lib/i18n";
import { RouterError } from "../lib/router.server";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  const { api } = signedIn;
  try {
    const [conversation, templates, agents, teams] = await guardRouter(request, context, signedIn,
      Promise.all([api.conversation(params.id!), api.templates(), api.agents(), api.teams()]));
    return json({
      conversation,
      templates: templates.filter((tpl) => tpl.status === "approved"),
      agents: agents.map(({ id, name, presence, role, teamIds }) => ({ id, name, presence, role, teamIds })),
      teams: teams.map(({ id, name }) => ({ id, name })),
      me: signedIn.agent,
    });
  } catch (error) {
    if (error instanceof RouterError && (error.status === 404 || error.status === 400)) throw json({ code: "not_found" }, { status: 404 });
    throw error;
  }
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  const form = await request.formData();
  await requireCsrf(request, signedIn.session, form, signedIn.locale);
  const parsed = ConversationIntent.safeParse(formToIntent(form));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => i.message).join("; ");
    return json({ ok: false as const, error: translator(signedIn.locale)("errors.invalid_input", { detail }) }, { status: 400 });
  }
  const result = await runCommand(request, context, signedIn, () => runIntent(signedIn.api, params.id!, signedIn.agent.id, parsed.data));
  return json({ ...result, intent: parsed.data.intent }, { status: result.ok ? 200 : 409 });
}


export default function ConversationPage() {
  const { conversation, templates, agents, teams, me } = useLoaderData<typeof loader>();
  const [contactOpen, setContactOpen] = useState(false);
  return (
    <div className="flex min-h-0 flex-1" data-testid="conversation" data-conversation-id={conversation.id}>
      <section className="flex min-w-0 flex-1 flex-col">
        <ConversationHeader conversation={conversation} me={me} agents={agents} teams={teams} onToggleContact={() => setContactOpen((v) => !v)} />
        <Timeline conversation={conversation} />
        <Composer key={conversation.id} conversation={conversation} me={me} templates={templates} />
      </section>
      <ContactPanel conversation={conversation} open={contactOpen} onClose={() => setContactOpen(false)} />
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const [params] = useSearchParams();
  const gone = isRouteErrorResponse(error) && error.status === 404;
  return (
    <div className="chat-wallpaper flex flex-1 items-center justify-center p-8" role="alert">
      <div className="max-w-sm rounded-2xl bg-white p-6 text-center shadow-sm">
        <p className="font-medium text-slate-800">{gone ? t("errors.not_found") : t("error.title")}</p>
        {!gone && <p className="mt-1 text-sm text-slate-500">{t("errors.internal")}</p>}
        <Link to={`/inbox${params.toString() ? `?${params}` : ""}`} className="mt-4 inline-block rounded-lg bg-wa-brand px-4 py-2 text-sm font-medium text-white">
          {t("conv.back")}
        </Link>
      </div>
    </div>
  );
}
