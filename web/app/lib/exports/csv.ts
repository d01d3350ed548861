import type { Cell, Sheet } from "./table";

/** Text a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading quote; numbers stay numbers. */
const FORMULA = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV with a UTF-8 byte-order mark (Excel then reads "Atención" right) and CRLF line ends. Numbers are
 * written raw with a dot ("90.5"), never localized, so the file is the same for every reader.
 */
export function toCsv(sheet: Sheet): string {
  const lines = [sheet.columns, ...sheet.rows].map((row) => row.map(cell).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
