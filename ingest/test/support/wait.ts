/** Polls until `check` returns a truthy value (returned) or the time is up (throws with the last value seen). */
export async function eventually<T>(check: () => Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 50));
  }
  throw new Error(`timed out waiting for ${opts.what ?? "condition"} (last: ${JSON.stringify(last)})`);
}

export const outboxSize = async (sql: { unsafe: (q: string) => Promise<unknown[]> }) =>
  Number(((await sql.unsafe("SELECT count(*)::int AS n FROM outbox")) as { n: number }[])[0]!.n);
