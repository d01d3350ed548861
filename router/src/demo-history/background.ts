import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { conversations, tenants } from "../db/schema/index.js";
import type { Db } from "../db/index.js";
import { DEMO_SLUG } from "../demo.js";
import { addDays, historyDays } from "./calendar.js";
import { generateDemoHistory } from "./generate.js";

type Log = (msg: string, fields?: Record<string, unknown>) => void;
/** Progress of the embedded demo's history, kept next to the database it describes. */
type Marker = { status: "running" | "done" | "skipped"; lastDay: string; days: number; seed: number; completedDays: number };

const SEED = 20_240_901;
const DEMO_PER_WEEKDAY = { min: 20, max: 40 };
const markerFile = (dataDir: string) => path.join(dataDir, "demo-history.json");

async function readMarker(dataDir: string): Promise<Marker | null> {
  const file = markerFile(dataDir);
  return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as Marker) : null;
}

async function writeMarker(dataDir: string, marker: Marker) {
  const file = markerFile(dataDir);
  await writeFile(`${file}.tmp`, JSON.stringify(marker, null, 2));
  await rename(`${file}.tmp`, file);
}

/** True when the embedded launcher still has history to generate (never started, or stopped half-way). */
export async function demoHistoryPending(dataDir: string, days: number): Promise<boolean> {
  if (days <= 0) return false;
  const marker = await readMarker(dataDir);
  return marker === null || marker.status === "running";
}

export type BackgroundHistory = { dataDir: string; db: Db; databaseUrl: string; appSecret: string; secretKey: string; password: string; days: number; log: Log };

/**
 * A first marker for this data directory: the range is fixed now (ending yesterday), so a restart resumes
 * the same days. A workspace that already has conversations (a data directory from before the history
 * existed) is left alone: history is for a fresh demo.
 */
async function firstMarker(opts: BackgroundHistory, tenantId: string): Promise<Marker> {
  const [{ n }] = await opts.db.select({ n: count() }).from(conversations).where(eq(conversations.tenantId, tenantId)) as [{ n: number }];
  const lastDay = historyDays("America/Mexico_City", 1, new Date())[0]!;
  return { status: n > 0 ? "skipped" : "running", lastDay, days: opts.days, seed: SEED, completedDays: 0 };
}

/**
 * Generates the demo workspace's history once, resuming after a restart from the last finished day, with
 * progress in the log. `shouldStop` is checked between days so a shutdown leaves a resumable marker.
 */
export async function runDemoHistory(opts: BackgroundHistory, shouldStop: () => boolean = () => false): Promise<void> {
  const [tenant] = await opts.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, DEMO_SLUG));
  if (!tenant) return;
  const marker = (await readMarker(opts.dataDir)) ?? (await firstMarker(opts, tenant.id));
  await writeMarker(opts.dataDir, marker);
  if (marker.status !== "running") {
    if (marker.status === "skipped") opts.log("historial de demostración omitido: el espacio demo ya tenía conversaciones");
    return;
  }
  opts.log(`Generando historial de demostración: ${marker.days} días hasta ${marker.lastDay}${marker.completedDays ? ` (continúa en el día ${marker.completedDays + 1})` : ""}…`);
  const summary = await generateDemoHistory({ databaseUrl: opts.databaseUrl, appSecret: opts.appSecret, secretKey: opts.secretKey }, {
    tenantId: tenant.id, password: opts.password, days: marker.days, seed: marker.seed, fromDay: marker.completedDays, finalPresence: "online",
    // A small business's volume (≈2,000 conversations in 90 days) keeps a first start to a few minutes on a laptop.
    perWeekday: DEMO_PER_WEEKDAY,
    // Noon UTC of the day after the last one: "yesterday" for the zones the demo uses.
    now: new Date(`${addDays(marker.lastDay, 1)}T12:00:00Z`),
    shouldStop,
    onProgress: async (p) => {
      await writeMarker(opts.dataDir, { ...marker, completedDays: p.day });
      opts.log(`Generando historial de demostración: día ${p.day}/${p.days}…`, { date: p.date, conversations: p.conversations, events: p.events });
    },
  });
  if (summary.stopped) return;
  await writeMarker(opts.dataDir, { ...marker, status: "done", completedDays: marker.days });
  opts.log("historial de demostración listo", { ...summary, errors: summary.errors.length, firstErrors: summary.errors.slice(0, 3) });
}
