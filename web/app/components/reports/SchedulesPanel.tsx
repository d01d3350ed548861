import { Form, useActionData, useNavigation } from "@remix-run/react";
import type { ReportSchedule } from "../../lib/reports-api.server";
import type { ReportSpec } from "../../lib/exports/report";
import type { ReportsActionResult } from "../../lib/reports.server";
import type { MessageKey } from "../../lib/i18n";
import { useI18n } from "../../lib/use-i18n";
import { CsrfField } from "../CsrfField";
import { timeZones } from "../dashboards/FilterBar";
import { field } from "./BuilderForm";

const button = "rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-100";

function ScheduleRow({ schedule, metricNames }: { schedule: ReportSchedule; metricNames: Record<string, string> }) {
  const { t } = useI18n();
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-slate-100 py-2 text-sm" data-testid="schedule" data-id={schedule.id}>
      <span className="font-medium text-slate-800">{schedule.name}</span>
      <span className="text-slate-500">{t(`reports.schedules.${schedule.frequency}` as MessageKey)} · {schedule.format.toUpperCase()} · {schedule.timeZone}</span>
      <span className="text-slate-500">{t(`reports.breakdown.${schedule.breakdown}` as MessageKey)}: {schedule.metricIds.map((id) => metricNames[id] ?? id).join(", ")}</span>
      <span className={schedule.active ? "text-lime-700" : "text-amber-700"} data-testid="schedule-state">{t(schedule.active ? "reports.schedules.active" : "reports.schedules.paused")}</span>
      <Form method="post" className="ml-auto flex gap-1">
        <CsrfField />
        <input type="hidden" name="id" value={schedule.id} />
        <button type="submit" name="intent" value={schedule.active ? "pause" : "resume"} className={button} data-testid="schedule-toggle">
          {t(schedule.active ? "reports.schedules.pause" : "reports.schedules.resume")}
        </button>
        <button type="submit" name="intent" value="delete" className={button} data-testid="schedule-delete">{t("reports.schedules.delete")}</button>
      </Form>
    </li>
  );
}

/**
 * Schedules the viewer manages, and a form that schedules the builder's current choice (metrics, breakdown and
 * team filter; the period comes from the frequency).
 */
export function SchedulesPanel({ schedules, spec, timeZone, teamId, metricNames }: {
  schedules: ReportSchedule[]; spec: ReportSpec | null; timeZone: string; teamId?: string; metricNames: Record<string, string>;
}) {
  const { t } = useI18n();
  const result = useActionData<ReportsActionResult>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="flex flex-col gap-2" data-testid="schedules">
      <h2 className="text-base font-semibold text-slate-900">{t("reports.schedules.title")}</h2>
      <p className="text-xs text-slate-500">{t("reports.schedules.hint")}</p>
      {result && !result.ok && <p role="alert" className="text-sm text-red-700" data-testid="schedule-error">{result.error}</p>}
      {result?.ok && result.notice && <p role="status" className="text-sm text-lime-800" data-testid="schedule-notice">{result.notice}</p>}
      {result?.ok && result.secret && <p className="break-all rounded bg-amber-50 p-2 text-xs text-amber-900" data-testid="schedule-secret">{t("reports.schedules.secret", { secret: result.secret })}</p>}
      {schedules.length === 0 ? <p className="text-sm text-slate-500">{t("reports.schedules.empty")}</p> : (
        <ul>{schedules.map((s) => <ScheduleRow key={s.id} schedule={s} metricNames={metricNames} />)}</ul>
      )}
      {spec && (
        <Form method="post" className="flex flex-wrap items-end gap-2 rounded-md border border-slate-200 bg-white p-2" data-testid="schedule-form">
          <CsrfField />
          <input type="hidden" name="intent" value="create" />
          <input type="hidden" name="breakdown" value={spec.breakdown} />
          {teamId && <input type="hidden" name="teamId" value={teamId} />}
          {spec.metricIds.map((id) => <input key={id} type="hidden" name="metrics" value={id} />)}
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("reports.schedules.name")}
            <input name="name" required maxLength={120} className={field} data-testid="schedule-name" />
          </label>
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("reports.schedules.frequency")}
            <select name="frequency" className={field} defaultValue="daily" data-testid="schedule-frequency">
              {(["daily", "weekly", "monthly"] as const).map((f) => <option key={f} value={f}>{t(`reports.schedules.${f}`)}</option>)}
            </select>
          </label>
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("reports.schedules.format")}
            <select name="format" className={field} defaultValue="xlsx"><option value="xlsx">XLSX</option><option value="csv">CSV</option></select>
          </label>
          <label className="flex flex-col gap-0.5 text-xs text-slate-500">{t("dash.timeZone")}
            <select name="timeZone" className={field} defaultValue={timeZone}>
              {(timeZones.includes(timeZone) ? timeZones : [timeZone, ...timeZones]).map((z) => <option key={z} value={z}>{z}</option>)}
            </select>
          </label>
          <label className="flex min-w-56 flex-1 flex-col gap-0.5 text-xs text-slate-500">{t("reports.schedules.webhook")}
            <input name="webhookUrl" type="url" placeholder="https://" className={field} data-testid="schedule-webhook" />
          </label>
          <button type="submit" disabled={busy} className="h-9 rounded-md bg-wa-brand px-3 text-sm font-medium text-white hover:bg-wa-dark disabled:opacity-60" data-testid="schedule-create">
            {t("reports.schedules.create")}
          </button>
        </Form>
      )}
    </section>
  );
}
