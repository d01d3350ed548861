import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useState } from "react";
import { AdminRefusal } from "../components/admin/AdminRefusal";
import { PageTitle } from "../components/admin/AdminShell";
import { DeleteButton } from "../components/admin/DeleteButton";
import { RuleDialog } from "../components/admin/RuleDialog";
import { Badge, Card, EmptyState, linkButton, primaryButton } from "../components/admin/ui";
import { parseRuleForm } from "../lib/admin-forms";
import { runRuleIntent } from "../lib/admin-intents.server";
import { adminAction, adminLoad, requireAdminArea } from "../lib/admin.server";
import type { RoutingRule } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const signedIn = await requireAdminArea(request, context);
  const { admin } = signedIn.api;
  const [rules, teams] = await adminLoad(request, context, signedIn, Promise.all([admin.rules(), admin.teams()]));
  return json({ rules, teams: teams.map(({ id, name }) => ({ id, name })), canEdit: signedIn.agent.role === "admin" });
}

export const action = (args: ActionFunctionArgs) => adminAction(args, { parse: parseRuleForm, run: runRuleIntent });

type Open = { rule?: RoutingRule } | null;

export default function AdminRules() {
  const { rules, teams, canEdit } = useLoaderData<typeof loader>();
  const { t } = useI18n();
  const [open, setOpen] = useState<Open>(null);
  const close = useCallback(() => setOpen(null), []);
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? "?";
  const add = canEdit && <button type="button" className={primaryButton} onClick={() => setOpen({})} data-testid="add-rule">{t("admin.rules.add")}</button>;
  return (
    <>
      <PageTitle title={t("admin.nav.rules")} description={t("admin.rules.description")} action={rules.length > 0 && add} />
      {rules.length === 0 && <EmptyState title={t("admin.rules.empty")} body={t("admin.rules.emptyBody")} action={add} />}
      {/* The order the router evaluates them: menu choice, then keywords, then the longest phone prefix. */}
      {(["menu", "keyword", "phone_prefix"] as const).filter((k) => rules.some((r) => r.kind === k)).map((kind) => (
        <Card key={kind} title={t(`admin.rules.group.${kind}`)} testId={`rules-${kind}`}>
          <ul className="divide-y divide-slate-100">
            {rules.filter((r) => r.kind === kind).map((rule) => (
              <li key={rule.id} data-testid="rule-row" className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5">
                <span className="min-w-0 flex-1 basis-48 font-medium text-slate-800">
                  {kind === "phone_prefix" ? `+${rule.pattern}` : `“${rule.pattern}”`}
                  <span className="font-normal text-slate-500"> → {teamName(rule.teamId)}</span>
                </span>
                <span className="flex flex-wrap gap-1 text-sm">
                  {rule.territory && <Badge tone="green">{rule.territory}</Badge>}
                  <Badge>{t("admin.rules.priorityValue", { priority: rule.priority })}</Badge>
                </span>
                {canEdit && (
                  <span className="flex gap-1">
                    <button type="button" className={linkButton} onClick={() => setOpen({ rule })}>{t("admin.edit")}</button>
                    <DeleteButton id={rule.id} label={t("admin.delete")} confirm={t("admin.rules.confirmDelete", { pattern: rule.pattern })} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Card>
      ))}
      {open && <RuleDialog rule={open.rule} teams={teams} onClose={close} />}
    </>
  );
}

export const ErrorBoundary = AdminRefusal;
