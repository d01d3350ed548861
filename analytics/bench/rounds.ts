/** The dashboards bench's timing helpers: rounds, the VM's speed, ClickHouse's background merges, panels compared. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { ClickHouseClient } from "@clickhouse/client";
import { percentile } from "../../router/bench/stats.js";
import type { MetricRow, PanelResult } from "../src/index.js";

/**
 * Waits until no merge or mutation of the load is running or queued (two quiet polls in a row), at most
 * `maxMs`; returns how long it waited. The merges are ClickHouse's own: nothing is forced.
 */
export async function mergesDrained(client: ClickHouseClient, maxMs = 600_000): Promise<number> {
  const start = performance.now();
  let quiet = 0;
  while (quiet < 2 && performance.now() - start < maxMs) {
    const result = await client.query({ query: `SELECT (SELECT count() FROM system.merges WHERE database = currentDatabase())
      + (SELECT count() FROM system.mutations WHERE database = currentDatabase() AND NOT is_done) AS busy`, format: "JSONEachRow" });
    const [row] = await result.json<{ busy: string | number }>();
    quiet = Number(row?.busy ?? 0) === 0 ? quiet + 1 : 0;
    if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return performance.now() - start;
}

/**
 * Background merges running as a timed round starts (the insert before it starts some; they share the cores with the
 * round): how many, and the bytes of the largest part they read. Printed beside the table, to read its numbers by.
 */
export async function mergesRunning(client: ClickHouseClient): Promise<{ n: number; bytes: number }> {
  const result = await client.query({ query: "SELECT count() AS n, max(total_size_bytes_compressed) AS bytes FROM system.merges WHERE database = currentDatabase()", format: "JSONEachRow" });
  const [row] = await result.json<{ n: string | number; bytes: string | number | null }>();
  return { n: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/**
 * `warmups` untimed runs first: caches, first mmap of parts. (The boards' reads run without ClickHouse's JIT, `NO_JIT`
 * in `query/input.ts`, whose compiling on an expression's third use once put 220–530 ms into a timed round.)
 */
export async function timeRounds(rounds: number, warmups: number, work: () => Promise<unknown>, untimedBefore?: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) {
    await untimedBefore?.();
    await work();
  }
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await untimedBefore?.();
    const t = performance.now();
    await work();
    samples.push(performance.now() - t);
  }
  return samples;
}

/** The host's state a table may feel: the OS's dirty and writeback pages (MB) and this process's JavaScript heap (MB). */
export function hostState(): { dirtyMb: number; heapMb: number } {
  const meminfo = readFileSync("/proc/meminfo", "utf8");
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(meminfo)?.[1] ?? 0);
  return { dirtyMb: Math.round((kb("Dirty") + kb("Writeback")) / 1024), heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) };
}

/**
 * Settles the host after the load, as a server long past it is: the OS writes its dirty pages out now (`sync`: the
 * compaction's parts, written a minute before, may still be flushing in the background) and this process collects the
 * garbage of generating the history (millions of rows), not during timed rounds. Both are suspects for the first
 * table's being slower than later ones; the log says what there was and how long the flush took.
 */
export function settleHost(): { dirtyMb: number; heapMb: number; syncMs: number; heapAfterMb: number } {
  const before = hostState();
  const t = performance.now();
  execFileSync("sync");
  const syncMs = performance.now() - t;
  v8.setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return { ...before, syncMs, heapAfterMb: hostState().heapMb };
}

/**
 * The VM's speed now: a fixed loop of JavaScript, median of three, in ms. This machine's cores are shared, and the same
 * loop took 340 to 576 ms within an hour: each table is printed under it, to be read by it.
 */
export function cpuProbe(): number {
  const samples: number[] = [];
  for (let run = 0; run < 3; run++) {
    const t = performance.now();
    let x = 0;
    for (let i = 0; i < 100_000_000; i++) x = (x + i) % 1_000_003;
    // x read after the loop, so it is not optimised away.
    samples.push(performance.now() - t + (x < 0 ? 1 : 0));
  }
  return percentile(samples, 50);
}

const close = (x: number | null, y: number | null) => x === y || (x !== null && y !== null && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x)));
/** Whether two results' rows are the same (numbers beyond float summation order: an average summed in another order). */
export const sameRows = (ra: MetricRow[], rb: MetricRow[]) =>
  ra.length === rb.length && ra.every((r, j) => r.key === rb[j]!.key && r.bucket === rb[j]!.bucket && r.series === rb[j]!.series && close(r.value, rb[j]!.value));

/** Panels whose numbers differ between two runs of a board (beyond float summation order). */
export function differentPanels(a: PanelResult[], b: PanelResult[]): string[] {
  return a.filter((panel, i) => !sameRows(panel.result?.rows ?? [], b[i]?.result?.rows ?? [])).map((panel) => panel.metricId);
}

/**
 * The same client with these settings over each statement's own: a baseline run of a board without one of them (the
 * read cache's, `use_uncompressed_cache`), in the same process and on the same parts as the timed runs.
 */
export function withSettings(client: ClickHouseClient, settings: Record<string, number>): ClickHouseClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== "query") return Reflect.get(target, prop, receiver);
      return (params: Parameters<ClickHouseClient["query"]>[0]) => target.query({ ...params, clickhouse_settings: { ...params.clickhouse_settings, ...settings } });
    },
  });
}

/** Two ways of one work, alternating round by round (which goes first too): each one's samples, `rounds` of each. */
export async function alternateRounds(rounds: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  await a();
  await b();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    for (const side of i % 2 === 0 ? [0, 1] as const : [1, 0] as const) {
      const t = performance.now();
      await (side === 0 ? a : b)();
      samples[side].push(performance.now() - t);
    }
  }
  return samples;
}
