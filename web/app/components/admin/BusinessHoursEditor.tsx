import { useState } from "react";
import { WEEKDAYS, type EditorWeek, type Range } from "../../lib/admin-hours";
import type { Weekday } from "../../lib/router-types";
import { useI18n } from "../../lib/use-i18n";
import { linkButton } from "./ui";

const timeClass = "w-[8.25rem] min-w-0 rounded-lg border border-slate-300 px-2 py-1.5 text-sm focus:border-wa-brand focus:outline-none focus:ring-2 focus:ring-wa-brand/30";

function DayRow({ day, ranges, onChange }: { day: Weekday; ranges: Range[]; onChange: (ranges: Range[]) => void }) {
  const { t } = useI18n();
  const set = (i: number, edge: keyof Range, value: string) => onChange(ranges.map((r, j) => (j === i ? { ...r, [edge]: value } : r)));
  const last = ranges[ranges.length - 1];
  const next: Range = last ? { start: last.end === "00:00" ? "23:00" : last.end, end: "00:00" } : { start: "09:00", end: "18:00" };
  return (
    <li className="grid grid-cols-[1fr_auto] items-start gap-x-3 gap-y-1 py-2 sm:grid-cols-[6rem_1fr_auto]" data-testid={`hours-day-${day}`}>
      <span className="pt-1.5 text-sm font-medium text-slate-700">{t(`admin.weekday.${day}`)}</span>
      <div className="order-last col-span-2 flex min-w-0 flex-col gap-2 sm:order-none sm:col-span-1">
        {ranges.length === 0 && <span className="text-sm text-slate-400 sm:pt-1.5">{t("admin.hours.closed")}</span>}
        {ranges.map((range, i) => (
          <div key={i} className="flex items-center gap-1.5 sm:gap-2">
            <input type="time" name={`hours.${day}.start`} value={range.start} required onChange={(e) => set(i, "start", e.target.value)}
              aria-label={`${t(`admin.weekday.${day}`)} ${t("admin.hours.from")}`} className={timeClass} />
            <span className="text-slate-400">–</span>
            <input type="time" name={`hours.${day}.end`} value={range.end} required onChange={(e) => set(i, "end", e.target.value)}
              aria-label={`${t(`admin.weekday.${day}`)} ${t("admin.hours.to")}`} className={timeClass} />
            <button type="button" onClick={() => onChange(ranges.filter((_, j) => j !== i))} aria-label={t("admin.hours.remove")}
              className="rounded-full px-2 py-1 text-slate-400 hover:bg-red-50 hover:text-red-600">✕</button>
          </div>
        ))}
      </div>
      <button type="button" className={linkButton} onClick={() => onChange([...ranges, next])} disabled={ranges.length >= 8}
        data-testid={`hours-add-${day}`}>
        + {t("admin.hours.addRange")}
      </button>
    </li>
  );
}

/** Per weekday, any number of opening ranges; a day without ranges is closed. End 00:00 means midnight. */
export function BusinessHoursEditor({ initial }: { initial: EditorWeek }) {
  const { t } = useI18n();
  const [week, setWeek] = useState(initial);
  const copyMonday = () => setWeek((w) => ({ ...w, ...Object.fromEntries((["2", "3", "4", "5"] as const).map((d) => [d, w["1"].map((r) => ({ ...r }))])) }));
  return (
    <div>
      <ul className="divide-y divide-slate-100" data-testid="business-hours">
        {WEEKDAYS.map((day) => <DayRow key={day} day={day} ranges={week[day]} onChange={(ranges) => setWeek((w) => ({ ...w, [day]: ranges }))} />)}
      </ul>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <button type="button" className={linkButton} onClick={copyMonday}>{t("admin.hours.copyMonday")}</button>
        <span className="text-xs text-slate-500">{t("admin.hours.midnightHint")}</span>
      </div>
    </div>
  );
}
