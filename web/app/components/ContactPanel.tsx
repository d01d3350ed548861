import { Link, useSearchParams } from "@remix-run/react";
import { formatDateTime, formatMoney } from "../lib/i18n";
import type { ConversationDetail } from "../lib/router-types";
import { useI18n } from "../lib/use-i18n";
import { CsrfField } from "./CsrfField";
import { useCommand } from "./use-command";

function Tags({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useI18n();
  const add = useCommand("tag-add");
  const remove = useCommand("tag-remove");
  return (
    <section>
      <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("tags.title")}</h3>
      <ul className="mb-2 flex flex-wrap gap-1.5">
        {conversation.tags.length === 0 && <li className="text-sm text-slate-500">{t("tags.none")}</li>}
        {conversation.tags.map((tag) => (
          <li key={tag} className="flex items-center gap-1 rounded-full bg-sky-100 py-0.5 pl-2 pr-1 text-sm text-sky-900">
            #{tag}
            <button type="button" onClick={() => remove.run({ intent: "tag-remove", tag })} aria-label={t("tags.remove", { tag })}
              className="rounded-full px-1 text-sky-700 hover:bg-sky-200">×</button>
          </li>
        ))}
      </ul>
      <add.fetcher.Form method="post" className="flex gap-2" key={conversation.tags.join(",")}>
        <CsrfField />
        <input type="hidden" name="intent" value="tag-add" />
        <input name="tag" required maxLength={64} placeholder={t("tags.add")} className="min-w-0 flex-1 rounded-lg border border-slate-300 px-2 py-1 text-sm" />
        <button type="submit" className="rounded-lg bg-slate-200 px-3 text-sm font-medium hover:bg-slate-300">+</button>
      </add.fetcher.Form>
      {(add.error || remove.error) && <p role="alert" className="mt-1 text-xs text-red-700">{add.error ?? remove.error}</p>}
    </section>
  );
}

export function ContactPanel({ conversation, open, onClose }: { conversation: ConversationDetail; open: boolean; onClose: () => void }) {
  const { t, locale } = useI18n();
  const [params] = useSearchParams();
  const contact = conversation.contact;
  const search = params.toString() ? `?${params}` : "";
  return (
    <aside data-testid="contact-panel"
      className={`${open ? "fixed inset-0 z-30 block" : "hidden"} overflow-y-auto border-l border-slate-200 bg-white p-4 xl:static xl:block xl:w-72 xl:shrink-0`}>
      <div className="mb-4 flex items-start justify-between">
        <div>
          <h2 className="text-lg font-semibold">{contact?.name || contact?.phone}</h2>
          <p className="text-sm text-slate-500">{t("conv.contact")}</p>
        </div>
        <button type="button" onClick={onClose} className="rounded-full p-1 text-xl leading-none text-slate-500 hover:bg-slate-100 xl:hidden" aria-label={t("actions.cancel")}>×</button>
      </div>
      <dl className="mb-5 space-y-2 text-sm">
        <div><dt className="text-slate-500">{t("contact.phone")}</dt><dd className="font-medium">{contact?.phone}</dd></div>
        {contact?.territory && <div><dt className="text-slate-500">{t("contact.territory")}</dt><dd>{contact.territory}</dd></div>}
        {conversation.team && <div><dt className="text-slate-500">{t("contact.team")}</dt><dd>{conversation.team.name}</dd></div>}
        {conversation.outcome === "won" && conversation.dealValue && conversation.currency && (
          <div><dt className="text-slate-500">{t("outcome.won")}</dt><dd className="font-semibold text-emerald-700">{formatMoney(Number(conversation.dealValue), conversation.currency, locale)}</dd></div>
        )}
      </dl>
      <div className="space-y-5">
        <Tags conversation={conversation} />
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("contact.notes")}</h3>
          {conversation.notes.length === 0 && <p className="text-sm text-slate-500">{t("contact.noNotes")}</p>}
          <ul className="space-y-2">
            {conversation.notes.map((note) => (
              <li key={note.id} className="rounded-lg border border-amber-200 bg-amber-50 p-2 text-sm">
                <p className="whitespace-pre-wrap">{note.body}</p>
                <p className="mt-1 text-xs text-amber-800" suppressHydrationWarning>🔒 {note.author?.name} · {formatDateTime(note.createdAt, locale)}</p>
              </li>
            ))}
          </ul>
        </section>
        <section>
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{t("contact.previous")}</h3>
          {conversation.previousConversations.length === 0 && <p className="text-sm text-slate-500">{t("contact.noPrevious")}</p>}
          <ul className="space-y-1">
            {conversation.previousConversations.map((prev) => (
              <li key={prev.id}>
                <Link to={`/inbox/${prev.id}${search}`} className="flex justify-between rounded-lg px-2 py-1.5 text-sm hover:bg-slate-100">
                  <span suppressHydrationWarning>{formatDateTime(prev.createdAt, locale)}</span>
                  <span className="text-slate-500">{prev.outcome ? t(`outcome.${prev.outcome}`) : t(`status.${prev.status}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </aside>
  );
}
