import { useState } from "react";
import type { Locale } from "../../lib/i18n";
import { useI18n } from "../../lib/use-i18n";
import { secondaryButton, smallFieldClass } from "./ui";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const formatDay = (date: string, locale: Locale) =>
  new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));

/** Closed days (in the team's time zone) as a sorted list of dates; each posts as a `holidays` field. */
export function HolidaysEditor({ initial }: { initial: string[] }) {
  const { t, locale } = useI18n();
  const [dates, setDates] = useState(() => [...initial].sort());
  const [draft, setDraft] = useState("");
  const add = () => {
    if (ISO_DATE.test(draft) && !dates.includes(draft)) setDates([...dates, draft].sort());
    setDraft("");
  };
  return (
    <div data-testid="holidays">
      <div className="flex gap-2">
        <input type="date" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label={t("admin.holidays.date")}
          onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); add(); } }} className={`${smallFieldClass} min-w-0 max-w-[12rem] flex-1`} data-testid="holiday-date" />
        <button type="button" onClick={add} disabled={!ISO_DATE.test(draft)} className={`${secondaryButton} border border-slate-300`} data-testid="holiday-add">
          {t("admin.holidays.add")}
        </button>
      </div>
      {dates.length === 0
        ? <p className="mt-2 text-sm text-slate-500">{t("admin.holidays.empty")}</p>
        : (
          <ul className="mt-2 flex flex-wrap gap-2">
            {dates.map((d) => (
              <li key={d} className="flex items-center gap-1 rounded-full bg-slate-100 py-1 pl-3 pr-1 text-sm text-slate-700" data-testid="holiday">
                <input type="hidden" name="holidays" value={d} />
                <time dateTime={d}>{formatDay(d, locale)}</time>
                <button type="button" onClick={() => setDates(dates.filter((x) => x !== d))} aria-label={t("admin.holidays.remove", { date: d })}
                  className="rounded-full px-1.5 text-slate-400 hover:bg-red-50 hover:text-red-600">✕</button>
              </li>
            ))}
          </ul>
        )}
    </div>
  );
}
