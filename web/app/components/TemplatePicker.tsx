import { useState } from "react";
import type { Template } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";
import { CsrfField } from "./CsrfField";
import type { useCommand } from "./use-command";

type PickerProps = { templates: Template[]; filter: string | null; onPick: (t: Template) => void; inline?: boolean };

/** The approved templates: a button with a list, or (typing "/name" in the composer) a list above it. */
export function TemplatePicker({ templates, filter, onPick, inline }: PickerProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const matches = filter === null ? templates : templates.filter((tpl) => tpl.name.includes(filter.toLowerCase()));
  const list = (
    <ul className="max-h-60 overflow-y-auto rounded-xl border border-slate-200 bg-white py-1 shadow-lg" role="listbox" data-testid="template-list">
      {matches.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">{t("composer.noTemplates")}</li>}
      {matches.map((tpl) => (
        <li key={tpl.id}>
          <button type="button" role="option" aria-selected={false} onClick={() => { onPick(tpl); setOpen(false); }}
            className="block w-full px-3 py-2 text-left hover:bg-emerald-50">
            <span className="text-sm font-medium text-wa-dark">/{tpl.name}</span>
            <span className="block truncate text-xs text-slate-500">{tpl.body}</span>
          </button>
        </li>
      ))}
    </ul>
  );
  if (inline) return <div className="absolute bottom-full left-0 right-12 mb-2">{list}</div>;
  return (
    <div className="relative ml-auto">
      <button type="button" onClick={() => setOpen((v) => !v)} aria-expanded={open} className="rounded-full px-3 py-1 text-sm text-slate-600 hover:bg-slate-100">
        📋 {t("composer.templates")}
      </button>
      {open && <div className="absolute bottom-full right-0 z-20 mb-2 w-72">{list}</div>}
    </div>
  );
}

type SenderProps = {
  templates: Template[]; chosen: Template | null; onChoose: (t: Template | null) => void;
  command: ReturnType<typeof useCommand>; onlyTemplates: boolean;
};

/** Sends an approved template with its placeholder values: the only thing allowed outside the 24-hour window. */
export function TemplateSender({ templates, chosen, onChoose, command, onlyTemplates }: SenderProps) {
  const { t } = useI18n();
  return (
    <command.fetcher.Form method="post" className="space-y-2" data-testid="template-sender">
      <CsrfField />
      <input type="hidden" name="intent" value="template" />
      {onlyTemplates && <p className="text-sm text-amber-800">{t("composer.onlyTemplates")}</p>}
      <div className="flex flex-wrap items-center gap-2">
        <select value={chosen?.id ?? ""} onChange={(e) => onChoose(templates.find((tpl) => tpl.id === e.target.value) ?? null)} required
          className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-2 py-2 text-sm" aria-label={t("composer.templates")}>
          <option value="">{templates.length ? t("composer.templates") : t("composer.noTemplates")}</option>
          {templates.map((tpl) => <option key={tpl.id} value={tpl.id}>{tpl.name} ({tpl.language})</option>)}
        </select>
        {chosen && !onlyTemplates && <button type="button" onClick={() => onChoose(null)} className="text-sm text-slate-600 hover:underline">{t("actions.cancel")}</button>}
      </div>
      {chosen && (
        <>
          <input type="hidden" name="name" value={chosen.name} />
          <input type="hidden" name="language" value={chosen.language} />
          <p className="rounded-lg bg-white px-3 py-2 text-sm text-slate-700">{chosen.body}</p>
          {chosen.parameterCount > 0 && <p className="text-xs text-slate-500">{t("composer.templateParams", { name: chosen.name })}</p>}
          {Array.from({ length: chosen.parameterCount }, (_, i) => (
            <input key={i} name="parameters" required placeholder={`{{${i + 1}}}`} className="w-full rounded-lg border border-slate-300 px-3 py-2 text-sm" />
          ))}
          <button type="submit" disabled={command.busy} className="rounded-lg bg-wa-brand px-4 py-2 text-sm font-semibold text-white disabled:opacity-50">
            {t("composer.sendTemplate")}
          </button>
        </>
      )}
    </command.fetcher.Form>
  );
}
