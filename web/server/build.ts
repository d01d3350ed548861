import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { serverBuildPath, webRoot } from "./index";

/** Builds the web app once when there is no production build yet (a fresh clone's first start). */
export function ensureWebBuild(): void {
  if (existsSync(serverBuildPath)) return;
  console.log("No web build yet: building…");
  const built = spawnSync("npx", ["remix", "vite:build"], { cwd: webRoot, stdio: "inherit" });
  if (built.status !== 0) throw new Error(`web build failed (exit ${built.status})`);
}
