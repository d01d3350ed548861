import type { ReportFile } from "../../lib/reports-api.server";
import { useI18n } from "../../lib/use-i18n";

const size = (bytes: number | null) => (bytes === null ? "" : bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/** Scheduled runs, newest first: a download link once the file is there, and how the webhook went. */
export function FilesPanel({ files }: { files: ReportFile[] }) {
  const { t } = useI18n();
  return (
    <section className="flex flex-col gap-2" data-testid="report-files">
      <h2 className="text-base font-semibold text-slate-900">{t("reports.files.title")}</h2>
      {files.length === 0 ? <p className="text-sm text-slate-500">{t("reports.files.empty")}</p> : (
        <div className="overflow-x-auto rounded-md border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">{t("reports.schedules.name")}</th>
                <th className="px-3 py-2 font-medium">{t("reports.files.period")}</th>
                <th className="px-3 py-2 font-medium">{t("reports.files.status")}</th>
                <th className="px-3 py-2 text-right font-medium">{t("reports.files.size")}</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id} className="border-t border-slate-100" data-testid="report-file" data-status={f.status}>
                  <td className="px-3 py-1.5 text-slate-800">{f.scheduleName}</td>
                  <td className="px-3 py-1.5 text-slate-600">{f.periodKey.split(":")[1]}</td>
                  <td className="px-3 py-1.5 text-slate-600">
                    {t(`reports.files.${f.status}`)}
                    {f.webhookStatus && <span className="ml-2 text-xs text-slate-500">{t(f.webhookStatus === "delivered" ? "reports.files.webhookDelivered" : "reports.files.webhookFailed")}</span>}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums text-slate-600">{size(f.sizeBytes)}</td>
                  <td className="px-3 py-1.5 text-right">
                    {f.status === "done" && <a href={`/reports/files/${f.id}`} className="text-wa-brand hover:underline" data-testid="report-file-download" download>{t("reports.files.download")}</a>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
