import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { adminOverview } from "../lib/admin-overview.server";
import { counted } from "../lib/admin-plural";
import { adminLoad, requireAdminArea } from "../lib/admin.server";
import type { MessageKey } from "../lib/i18n";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  return json(await adminLoad(request, context, signedIn, adminOverview(signedIn.api.admin, signedIn.agent.role === "admin")));
}

type Tile = { to: string; title: MessageKey; summary: string; testId: string };

export default function AdminOverview() {
  const data = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const tiles: Tile[] = [
    { to: "agents", title: "admin.nav.agents", summary: t("admin.overview.agents", { active: data.agents.active, total: data.agents.total }), testId: "tile-agents" },
    { to: "teams", title: "admin.nav.teams", summary: counted(t, "admin.overview.teams", data.teams), testId: "tile-teams" },
    { to: "rules", title: "admin.nav.rules", summary: counted(t, "admin.overview.rules", data.rules), testId: "tile-rules" },
    { to: "templates", title: "admin.nav.templates", summary: t("admin.overview.templates", { approved: data.templates.approved, total: data.templates.total }), testId: "tile-templates" },
    { to: "channels", title: "admin.nav.channels", summary: counted(t, "admin.overview.channels", data.channels.total, { missing: data.channels.withoutToken }), testId: "tile-channels" },
  ];
  if (data.firstResponseMinutes !== null) {
    tiles.push({ to: "workspace", title: "admin.nav.workspace", summary: t("admin.overview.workspace", { minutes: data.firstResponseMinutes }), testId: "tile-workspace" });
  }
  return (
    <>
      <PageTitle title={t("admin.overview.title")} description={t("admin.overview.description")} />
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {tiles.map((tile) => (
          <li key={tile.to}>
            <Link to={tile.to} data-testid={tile.testId} className="block h-full rounded-2xl bg-white p-4 shadow-sm ring-wa-brand/30 hover:ring-2">
              <span className="font-semibold text-slate-800">{t(tile.title)}</span>
              <span className="mt-1 block text-sm text-slate-500">{tile.summary}</span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
