import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { migratePostgres, startEmbeddedPostgres } from "@centralita/migrations";

declare module "vitest" {
  export interface ProvidedContext { pgAdminUrl: string }
}

/**
 * One real PostgreSQL server per test run (or DATABASE_URL's server), with a migrated template database;
 * every test file clones it into a database of its own.
 */
export default async function setup(project: TestProject) {
  let stop = async () => {};
  let baseUrl = process.env.DATABASE_URL;
  let dir: string | undefined;
  if (!baseUrl) {
    dir = await mkdtemp(path.join(os.tmpdir(), "centralita-pg-"));
    const embedded = await startEmbeddedPostgres(dir);
    baseUrl = embedded.url;
    stop = embedded.stop;
  }
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe("DROP DATABASE IF EXISTS centralita_template");
  await admin.unsafe("CREATE DATABASE centralita_template");
  await admin.end();
  const templateUrl = new URL(baseUrl);
  templateUrl.pathname = "/centralita_template";
  await migratePostgres(templateUrl.toString());
  project.provide("pgAdminUrl", baseUrl);
  return async () => {
    await stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
