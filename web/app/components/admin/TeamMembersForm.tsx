import { useState } from "react";
import type { AdminTeam, Role } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { AdminForm, useAdminForm } from "./AdminForm";
import { Badge, checkboxClass, linkButton, smallFieldClass } from "./ui";

type Person = { id: string; name: string; role: Role; active: boolean };
type Member = { agentId: string; autoAssign: boolean };

const iconButton = "rounded px-2 py-1 text-slate-500 hover:bg-slate-100 disabled:opacity-30";

/** Members in round-robin order; "receives chats" off for supervisors who only watch the team. */
export function TeamMembersForm({ team, people, canEdit }: { team: AdminTeam; people: Person[]; canEdit: boolean }) {
  const { t } = useI18n();
  const form = useAdminForm(`members-${team.id}`);
  const [members, setMembers] = useState<Member[]>(team.members.map(({ agentId, autoAssign }) => ({ agentId, autoAssign })));
  const [adding, setAdding] = useState("");
  const person = (id: string) => people.find((p) => p.id === id);
  const outside = people.filter((p) => p.active && !members.some((m) => m.agentId === p.id));
  const move = (i: number, by: number) => setMembers((list) => {
    const next = [...list];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    return next;
  });
  return (
    <AdminForm form={form} intent="members" submitLabel={t("admin.teams.saveMembers")} savedLabel={t("admin.saved")} testId="members-form" disabled={!canEdit}>
      {members.length === 0 && <p className="text-sm text-slate-500">{t("admin.teams.noMembers")}</p>}
      <ol className="divide-y divide-slate-100">
        {members.map((m, i) => (
          <li key={m.agentId} className="flex flex-wrap items-center gap-2 py-2" data-testid="member-row">
            <input type="hidden" name="member" value={m.agentId} />
            <span className="w-6 text-right text-xs text-slate-400">{i + 1}</span>
            <span className="min-w-0 flex-1 font-medium text-slate-800">
              {person(m.agentId)?.name ?? "?"} {person(m.agentId) && <Badge>{t(`role.${person(m.agentId)!.role}`)}</Badge>}
            </span>
            <label className="flex items-center gap-1.5 text-sm text-slate-600">
              <input type="checkbox" name="autoAssign" value={m.agentId} checked={m.autoAssign} className={checkboxClass}
                onChange={(e) => setMembers((list) => list.map((x) => (x.agentId === m.agentId ? { ...x, autoAssign: e.target.checked } : x)))} />
              {t("admin.teams.autoAssign")}
            </label>
            <span className="flex">
              <button type="button" className={iconButton} disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("admin.teams.moveUp")}>↑</button>
              <button type="button" className={iconButton} disabled={i === members.length - 1} onClick={() => move(i, 1)} aria-label={t("admin.teams.moveDown")}>↓</button>
              <button type="button" className={iconButton} onClick={() => setMembers((list) => list.filter((x) => x.agentId !== m.agentId))} aria-label={t("admin.teams.removeMember")}>✕</button>
            </span>
          </li>
        ))}
      </ol>
      {outside.length > 0 && (
        <div className="flex gap-2">
          <select value={adding} onChange={(e) => setAdding(e.target.value)} className={`${smallFieldClass} min-w-0 flex-1`} aria-label={t("admin.teams.addMember")}>
            <option value="">{t("admin.teams.chooseMember")}</option>
            {outside.map((p) => <option key={p.id} value={p.id}>{p.name} · {t(`role.${p.role}`)}</option>)}
          </select>
          <button type="button" className={linkButton} disabled={!adding}
            onClick={() => { setMembers((list) => [...list, { agentId: adding, autoAssign: person(adding)?.role === "agent" }]); setAdding(""); }}>
            {t("admin.teams.addMember")}
          </button>
        </div>
      )}
    </AdminForm>
  );
}
