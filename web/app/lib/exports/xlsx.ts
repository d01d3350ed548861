import ExcelJS from "exceljs";
import type { ExportFile } from "./table";

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ]. */
const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, " ").slice(0, 31) || "Sheet";

/** The data sheet (numbers as numbers, header bold and frozen) and an info sheet with the range and filters. */
export async function toXlsx(file: ExportFile): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Centralita";
  const data = workbook.addWorksheet(sheetName(file.data.name), { views: [{ state: "frozen", ySplit: 1 }] });
  data.addRow(file.data.columns).font = { bold: true };
  for (const row of file.data.rows) data.addRow(row.map((v) => (v === null ? null : v)));
  data.columns.forEach((column, i) => {
    const longest = Math.max(...[file.data.columns[i] ?? "", ...file.data.rows.map((r) => r[i])].map((v) => String(v ?? "").length));
    column.width = Math.min(60, Math.max(10, longest + 2));
  });
  const info = workbook.addWorksheet(sheetName(file.infoName));
  for (const [label, value] of file.info) info.addRow([label, value]);
  info.getColumn(1).font = { bold: true };
  info.getColumn(1).width = 24;
  info.getColumn(2).width = 48;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
