import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { ChannelDialog, RotateTokenDialog } from "../components/admin/ChannelDialogs";
import { Badge, Card, EmptyState, linkButton, primaryButton } from "../components/admin/ui";
import { parseChannelForm } from "../lib/admin-forms";
import { runChannelIntent } from "../lib/admin-intents.server";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import type { AdminChannel } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

/** Only what the router shows of a number: whether it has a token, never the token. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const channels = await adminLoad(request, context, signedIn, signedIn.api.admin.channels());
  return json({ channels, canEdit: signedIn.agent.role === "admin" });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, { parse: parseChannelForm, run: runChannelIntent });

type Open = { kind: "add" } | { kind: "edit" | "rotate"; channel: AdminChannel } | null;

export default function AdminChannels() {
  const { channels, canEdit } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [open, setOpen] = useState<Open>(null);
  const close = useCallback(() => setOpen(null), []);
  const add = canEdit && <button type="button" className={primaryButton} onClick={() => setOpen({ kind: "add" })} data-testid="add-channel">{t("admin.channels.add")}</button>;
  return (
    <>
      <PageTitle title={t("admin.nav.channels")} description={t("admin.channels.description")} action={channels.length > 0 && add} />
      {channels.length === 0 ? <EmptyState title={t("admin.channels.empty")} action={add} /> : (
        <Card>
          <ul className="divide-y divide-slate-100">
            {channels.map((c) => (
              <li key={c.id} data-testid="channel-row" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-3">
                <div className="min-w-0 flex-1 basis-56">
                  <p className="font-medium text-slate-800">{c.name}</p>
                  <p className="text-sm text-slate-600">{c.displayPhone}</p>
                  <p className="truncate text-xs text-slate-500">
                    {t("admin.channels.idLine", { id: c.phoneNumberId, version: c.graphApiVersion, rate: c.sendRatePerSecond })}
                  </p>
                </div>
                <Badge tone={c.hasAccessToken ? "green" : "amber"} testId="token-status">
                  {t(c.hasAccessToken ? "admin.channels.tokenSet" : "admin.channels.tokenMissing")}
                </Badge>
                {canEdit && (
                  <span className="flex gap-1">
                    <button type="button" className={linkButton} onClick={() => setOpen({ kind: "edit", channel: c })}>{t("admin.edit")}</button>
                    <button type="button" className={linkButton} onClick={() => setOpen({ kind: "rotate", channel: c })} data-testid="rotate-token">
                      {t(c.hasAccessToken ? "admin.channels.rotate" : "admin.channels.setToken")}
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {open?.kind === "add" && <ChannelDialog onClose={close} />}
      {open?.kind === "edit" && <ChannelDialog channel={open.channel} onClose={close} />}
      {open?.kind === "rotate" && <RotateTokenDialog channel={open.channel} onClose={close} />}
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
