import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { DeleteButton } from "../components/admin/DeleteButton";
import { TemplateDialog } from "../components/admin/TemplateDialog";
import { Badge, Card, EmptyState, Notice, linkButton, primaryButton } from "../components/admin/ui";
import { parseTemplateForm } from "../lib/admin-forms";
import { counted } from "../lib/admin-plural";
import { runTemplateIntent } from "../lib/admin-intents.server";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import type { AdminTemplate } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const templates = await adminLoad(request, context, signedIn, signedIn.api.admin.templates());
  return json({ templates, canEdit: signedIn.agent.role === "admin" });
}

export const action = (args: ActionFunctionArgs) =>
  adminAction(args, { parse: parseTemplateForm, run: runTemplateIntent, conflict: "admin.errors.conflict.template" });

const statusTone = { approved: "green", pending: "amber", rejected: "red", paused: "gray" } as const;

export default function AdminTemplates() {
  const { templates, canEdit } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [open, setOpen] = useState<{ template?: AdminTemplate } | null>(null);
  const close = useCallback(() => setOpen(null), []);
  const add = canEdit && <button type="button" className={primaryButton} onClick={() => setOpen({})} data-testid="add-template">{t("admin.templates.add")}</button>;
  return (
    <>
      <PageTitle title={t("admin.nav.templates")} description={t("admin.templates.description")} action={templates.length > 0 && add} />
      <Notice tone="info">{t("admin.templates.canned")}</Notice>
      {templates.length === 0 ? <EmptyState title={t("admin.templates.empty")} body={t("admin.templates.emptyBody")} action={add} /> : (
        <Card>
          <ul className="divide-y divide-slate-100" data-testid="template-list">
            {templates.map((tpl) => (
              <li key={tpl.id} data-testid="template-row" className="flex flex-wrap items-start gap-x-3 gap-y-1 py-3">
                <div className="min-w-0 flex-1 basis-64">
                  <p className="flex flex-wrap items-center gap-2 font-medium text-slate-800">
                    /{tpl.name}
                    <Badge>{tpl.language}</Badge>
                    <Badge tone={statusTone[tpl.status]}>{t(`admin.templates.status.${tpl.status}`)}</Badge>
                  </p>
                  <p className="mt-1 line-clamp-2 text-sm text-slate-600">{tpl.body}</p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    {t(`admin.templates.category.${tpl.category}`)} · {counted(t, "admin.templates.parameters", tpl.parameterCount)}
                  </p>
                </div>
                {canEdit && (
                  <span className="flex gap-1">
                    <button type="button" className={linkButton} onClick={() => setOpen({ template: tpl })}>{t("admin.edit")}</button>
                    <DeleteButton id={tpl.id} label={t("admin.delete")} confirm={t("admin.templates.confirmDelete", { name: tpl.name })} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      {open && <TemplateDialog template={open.template} onClose={close} />}
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
