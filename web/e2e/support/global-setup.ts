import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import routerGlobalSetup from "../../../router/test/support/global-setup";

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The router's test Postgres (one real server per run, a migrated template each test file clones) and a
 * fresh production build of the web app, which the browser tests serve.
 */
export default async function setup(project: TestProject) {
  if (process.env.WEB_E2E_SKIP_BUILD !== "1") {
    const built = spawnSync("npx", ["remix", "vite:build"], { cwd: webRoot, stdio: "pipe", encoding: "utf8" });
    if (built.status !== 0) throw new Error(`web build failed:\n${built.stdout}\n${built.stderr}`);
  }
  return routerGlobalSetup(project);
}
