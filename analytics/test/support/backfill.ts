import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ClickHouseClient } from "@clickhouse/client";
import { expect } from "vitest";
import { clickhouseMigrationsFolder } from "@centralita/migrations";

/**
 * Runs a ClickHouse migration's backfill (its one INSERT statement) as written, as the migration runner would.
 * `renamed`: tables a later migration replaced (old name → new), read under their new name.
 */
export async function runBackfill(client: ClickHouseClient, migrationFile: string, renamed: Record<string, string> = {}): Promise<void> {
  const migration = await readFile(path.join(clickhouseMigrationsFolder, migrationFile), "utf8");
  const statements = migration.split(/;\s*\n/).map((s) => s.split("\n").filter((l) => !l.trim().startsWith("--")).join("\n").trim());
  const inserts = statements.filter((s) => s.startsWith("INSERT"));
  expect(inserts).toHaveLength(1);
  const rename = (sql: string) => Object.entries(renamed).reduce((text, [from, to]) => text.replace(new RegExp(`\\b${from}\\b`, "g"), to), sql);
  for (const query of inserts) await client.command({ query: rename(query) });
}
