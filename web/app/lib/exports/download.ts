import { toCsv } from "./csv";
import { toXlsx } from "./xlsx";
import type { ExportFile } from "./table";

export type ExportFormat = "csv" | "xlsx";
export const contentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** A file name that is safe in a header and on any disk: letters, digits, _ - . only. */
export const safeFileName = (base: string, format: ExportFormat) =>
  `${base.normalize("NFD").replace(/\p{M}/gu, "").replace(/[^A-Za-z0-9_.-]+/g, "_").slice(0, 120) || "report"}.${format}`;

/** The file's bytes in either format. */
export async function exportBytes(file: ExportFile, format: ExportFormat): Promise<Buffer> {
  return format === "csv" ? Buffer.from(toCsv(file.data), "utf8") : toXlsx(file);
}

/** A download response: attachment, private, never cached. */
export async function downloadResponse(file: ExportFile, format: ExportFormat): Promise<Response> {
  const body = await exportBytes(file, format);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": contentTypes[format],
      "Content-Disposition": `attachment; filename="${safeFileName(file.baseName, format)}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
