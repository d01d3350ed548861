// Prints every workspace's benchmark figures (bench-results/*.jsonl, see ../shared/BENCH.md) as one table.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";

const dir = path.resolve(import.meta.dirname, "../bench-results");
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort() : [];
const figures = files.flatMap((f) => readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line)));
if (figures.length === 0) {
  console.log("No benchmark figures yet: run `npm run bench`.");
  process.exit(0);
}
const show = (v) => (v === null || v === undefined ? "—" : String(v));
const rows = [["figure", "value", "unit", "baseline", "ratio", "goal", "data"],
  ...figures.map((f) => [f.figure, show(f.value), f.unit, `${show(f.baseline_value)} (${f.baseline})`, show(f.ratio), show(f.goal), f.data])];
const widths = rows[0].map((_, i) => Math.min(i === 3 || i === 6 ? 60 : 200, Math.max(...rows.map((r) => r[i].length))));
const cell = (text, i) => (text.length > widths[i] ? `${text.slice(0, widths[i] - 1)}…` : text.padEnd(widths[i]));
console.log(["", ...rows.map((r, n) => r.map(cell).join("  ") + (n === 0 ? `\n${widths.map((w) => "-".repeat(w)).join("  ")}` : ""))].join("\n"));
