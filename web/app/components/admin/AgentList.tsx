import type { AdminAgent } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { Badge, Card, EmptyState, linkButton } from "./ui";

type Props = {
  agents: AdminAgent[]; teams: Array<{ id: string; name: string }>; canEdit: boolean;
  onEdit: (agent: AdminAgent) => void; onPassword: (agent: AdminAgent) => void;
};

/** The workspace's people: one row each, wrapping to a card on a phone. */
export function AgentList({ agents, teams, canEdit, onEdit, onPassword }: Props) {
  const { t } = useI18n();
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? "?";
  if (agents.length === 0) return <EmptyState title={t("admin.agents.empty")} />;
  return (
    <Card>
      <ul className="divide-y divide-slate-100" data-testid="agent-list">
        {agents.map((a) => (
          <li key={a.id} data-testid="agent-row" className={`flex flex-wrap items-center gap-x-3 gap-y-1 py-3 ${a.active ? "" : "opacity-60"}`}>
            <div className="min-w-0 flex-1 basis-56">
              <p className="flex flex-wrap items-center gap-2 font-medium text-slate-800">
                {a.name}
                <Badge tone={a.role === "admin" ? "amber" : a.role === "supervisor" ? "green" : "gray"}>{t(`role.${a.role}`)}</Badge>
                {!a.active && <Badge tone="red">{t("admin.agents.inactive")}</Badge>}
              </p>
              <p className="truncate text-sm text-slate-500">{a.email}</p>
            </div>
            <div className="basis-56 text-sm text-slate-600">
              <p>{t("admin.agents.capacityValue", { capacity: a.capacity })} · {t(`presence.${a.presence}`)}</p>
              <p className="truncate text-slate-500">{a.teamIds.length ? a.teamIds.map(teamName).join(", ") : t("admin.agents.noTeam")}</p>
              {a.skills.length > 0 && (
                <p className="mt-1 flex flex-wrap gap-1">{a.skills.map((s) => <Badge key={s}>{s}</Badge>)}</p>
              )}
            </div>
            {canEdit && (
              <div className="flex gap-1">
                <button type="button" className={linkButton} onClick={() => onEdit(a)} data-testid="edit-agent">{t("admin.edit")}</button>
                <button type="button" className={linkButton} onClick={() => onPassword(a)}>{t("admin.agents.password")}</button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
