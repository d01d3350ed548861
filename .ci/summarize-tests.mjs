// Prints one closing line for CI from every workspace's vitest JSON report: "tests: N passed, N failed".
import { readdirSync, readFileSync, existsSync } from "node:fs";

const dir = new URL("../test-results/", import.meta.url);
let passed = 0, failed = 0, skipped = 0;
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".json")) : []) {
  const report = JSON.parse(readFileSync(new URL(file, dir), "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0 || failed > 0) process.exit(1);
