import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useNavigation, useParams, useRevalidator, useRouteError, isRouteErrorResponse } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { ConversationList } from "../components/ConversationList";
import { InboxHeader } from "../components/InboxHeader";
import { InboxSidebar } from "../components/InboxSidebar";
import { TeamPresence } from "../components/TeamPresence";
import { guardRouter, requireAgent } from "../lib/guard.server";
import { parseInboxFilters, toInboxQuery } from "../lib/inbox-filters.server";
import { beep, useLiveUpdates, type LiveEvent } from "../lib/live-client";
import { useHeartbeat } from "../lib/use-heartbeat";
import { useI18n } from "../lib/use-i18n";

export const meta: MetaFunction = () => [{ title: "Centralita" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAgent(request, context);
  const filters = parseInboxFilters(new URL(request.url).searchParams, "all");
  const { api } = signedIn;
  const supervises = signedIn.agent.role !== "agent";
  const [page, counts, me, teams, channels, agents] = await guardRouter(request, context, signedIn,
    Promise.all([api.inbox(toInboxQuery(filters)), api.counts(), api.me(), api.teams(), api.channels(), supervises ? api.agents() : []]));
  return json({
    page, counts, me, filters,
    teams: teams.map(({ id, name }) => ({ id, name })),
    channels: channels.map(({ id, name, displayPhone }) => ({ id, name, displayPhone })),
    members: agents.filter((a) => a.id !== me.id).map(({ id, name, presence, capacity }) => ({ id, name, presence, capacity })),
  });
}

/** Title badge: how many chats were newly given to me and not opened yet. */
function useAssignedBadge(myId: string, openId: string | undefined) {
  const [unseen, setUnseen] = useState<string[]>([]);
  useEffect(() => {
    if (openId) setUnseen((ids) => ids.filter((id) => id !== openId));
  }, [openId]);
  useEffect(() => {
    document.title = unseen.length ? `(${unseen.length}) Centralita` : "Centralita";
  }, [unseen]);
  const onEvent = useCallback((event: LiveEvent) => {
    if (event.type !== "conversation.assigned" || event.agent_id !== myId || !event.conversation_id) return;
    if (event.conversation_id === openId) return;
    const id = event.conversation_id;
    setUnseen((ids) => (ids.includes(id) ? ids : [...ids, id]));
    beep();
  }, [myId, openId]);
  return { unseen, onEvent };
}

export default function Inbox() {
  const data = useLoaderData<typeof loader>();
  const { id: openId } = useParams();
  const navigation = useNavigation();
  const { t } = useI18n();
  const { unseen, onEvent } = useAssignedBadge(data.me.id, openId);
  const liveStatus = useLiveUpdates(onEvent);
  useHeartbeat();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/inbox" && navigation.location.search !== "";
  return (
    <div className="relative flex h-full flex-col">
      {navigation.state !== "idle" && (
        <div role="progressbar" aria-label={t("loading")} data-testid="loading"
          className="absolute inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-lime-300" />
      )}
      <InboxHeader me={data.me} activeCount={data.counts.mine} liveStatus={liveStatus} />
      <div className="flex min-h-0 flex-1">
        <aside className={`${openId ? "hidden md:flex" : "flex"} w-full flex-col border-r border-slate-200 bg-white md:w-[360px] lg:w-[400px]`}>
          <InboxSidebar filters={data.filters} counts={data.counts} teams={data.teams} channels={data.channels} hasTeams={(data.me.teamIds ?? []).length > 0} />
          <ConversationList page={data.page} filters={data.filters} openId={openId} unseen={unseen} busy={searching} />
          {data.members.length > 0 && <TeamPresence members={data.members} />}
        </aside>
        <main className={`${openId ? "flex" : "hidden md:flex"} min-w-0 flex-1 flex-col`}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}


const RETRY_MS = 3000;

/**
 * The router or the network failed while loading the inbox: say so and keep retrying, so the page comes
 * back (and catches up) by itself once the router answers again.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useI18n();
  const revalidator = useRevalidator();
  const retry = useRef(revalidator.revalidate);
  retry.current = revalidator.revalidate;
  useEffect(() => {
    const timer = setInterval(() => { if (navigator.onLine) retry.current(); }, RETRY_MS);
    return () => clearInterval(timer);
  }, []);
  const status = isRouteErrorResponse(error) ? error.status : null;
  return (
    <div className="flex h-full flex-col">
      <header className="flex h-14 items-center bg-wa-brand px-4 text-white">
        <Link to="/inbox" className="text-lg font-semibold">Centralita</Link>
        <span data-testid="live-status" data-state="reconnecting" className="ml-3 flex items-center gap-1 text-xs text-white/80">
          <span className="h-2 w-2 animate-pulse rounded-full bg-amber-300" />{t("live.reconnecting")}
        </span>
      </header>
      <div className="flex flex-1 items-center justify-center p-6" role="alert">
        <div className="max-w-sm rounded-2xl bg-white p-6 text-center shadow-sm">
          <p className="font-medium">{t(status === 404 ? "error.notFound" : "errors.unavailable")}</p>
          <button type="button" onClick={() => revalidator.revalidate()} disabled={revalidator.state !== "idle"}
            className="mt-4 rounded-lg bg-wa-brand px-4 py-2 text-sm font-medium text-white disabled:opacity-60">
            {revalidator.state !== "idle" ? t("loading") : t("error.retry")}
          </button>
        </div>
      </div>
    </div>
  );
}
