/**
 * What one version of a cycle puts in `agent_time_sums`, in TypeScript: the SQL's `CONTRIBUTIONS` (`agent-time-sums.ts`,
 * which the compactor writes the sums with) over a cycle's columns, for the state's diff of the hot cycles against their
 * compacted rows (`hot-floor.ts`). In SQL that diff was 42 ms with 42 hot cycles, 33 of them planning the lambdas.
 * `test/contributions.test.ts` adds these up by hour and compares them with the sums the compactor wrote.
 */

/** The columns a cycle's contributions read, both sides alike; 64-bit instants as text (absent ones are the largest Int64). */
export type CycleMeasures = {
  channel: string; team: string; started: string; resolved: string; previousResolved: string; isReopen: number; prevResolver: string;
  result: string; resolveAgent: string; deal: number; cur: string; csat: number; exactFrt: number | null; exactFrtAgent: string;
  responses: Array<[waitMs: number, agent: string, runStartMs: number, replyMs: number]>; stints: Array<[agent: string, fromMs: number, toMs: number]>;
  /** The cycle's tags (`tag_set`, a set): the sums hold each contribution under '' and under each of them (migration 0025). */
  tags: string[];
  /** The cycle's transfers: which of its stints one ended is not known here (`hot-floor.ts` reads the cycles from where they may). */
  transfers: number;
};

/**
 * One contribution: its instant (text, as exact as the column) and its entry as JSON (`CONTRIBUTION_ENTRY`'s fields, the
 * measures it leaves out zero: ClickHouse reads an omitted field as its default, and the change travels in one parameter).
 */
export type Contribution = { instant: string; json: string };

/** The nil UUID (`toUUIDOrZero('')`): no agent. */
export const NIL_UUID = "00000000-0000-0000-0000-000000000000";
const NONE_MEASURES = {
  resolved: 0, resolution_s: 0, csat_n: 0, csat_sum: 0, won: 0, frt_n: 0, frt_sum: 0, reopened: 0, response_n: 0, response_ms: 0, stint_n: 0, stint_ms: 0, xfer_n: 0, xfer_ms: 0, xfer_out_n: 0, xfer_in_n: 0, cur: "", deal: 0,
};

/** Every contribution of a cycle (its resolve, first response, a reopen's previous resolve, answered runs and ended stints), under each of its sums' tags. */
export function contributionsOf(m: CycleMeasures): Contribution[] {
  const untagged = untaggedContributions(m);
  return ["", ...m.tags].flatMap((tag) => untagged.map(({ instant, json }) => ({ instant, json: `${json.slice(0, -1)},"tag":${JSON.stringify(tag)}}` })));
}

function untaggedContributions(m: CycleMeasures): Contribution[] {
  // The instant goes into the JSON as the column's digits: the largest Int64 is no JavaScript number.
  const entry = (instant: string, agent: string, measures: Partial<typeof NONE_MEASURES>): Contribution => {
    const given = Object.fromEntries(Object.entries(measures).filter(([name, value]) => value !== NONE_MEASURES[name as keyof typeof NONE_MEASURES]));
    return { instant, json: `{"instant":${instant},${JSON.stringify({ agent, channel: m.channel, team: m.team, ...given }).slice(1)}` };
  };
  const out: Contribution[] = [];
  if (m.resolved !== "0") {
    const hasAgent = m.resolveAgent !== NIL_UUID;
    const won = m.result === "won";
    out.push(entry(m.resolved, m.resolveAgent, {
      resolved: hasAgent ? 1 : 0, resolution_s: hasAgent ? Number(BigInt(m.resolved) - BigInt(m.started)) / 1000 : 0, csat_n: m.csat > 0 ? 1 : 0,
      csat_sum: m.csat, won: won ? 1 : 0, cur: won ? m.cur : "", deal: won ? m.deal : 0,
    }));
  }
  if (m.exactFrt !== null) out.push(entry(m.started, m.exactFrtAgent, { frt_n: 1, frt_sum: m.exactFrt }));
  if (m.isReopen === 1) out.push(entry(m.previousResolved, m.prevResolver, { reopened: 1 }));
  for (const r of m.responses) out.push(entry(String(r[2]), r[1], { response_n: 1, response_ms: r[0] }));
  for (const s of m.stints) if (s[2] !== -1) out.push(entry(String(s[2]), s[0], { stint_n: 1, stint_ms: s[2] - s[1] }));
  return out;
}

/** The contributions one side has more of than the other (a multiset difference). */
export function lessOf(these: Contribution[], those: Contribution[]): Contribution[] {
  const left = new Map<string, number>();
  for (const c of those) left.set(c.json, (left.get(c.json) ?? 0) + 1);
  return these.filter((c) => {
    const n = left.get(c.json) ?? 0;
    if (n > 0) left.set(c.json, n - 1);
    return n === 0;
  });
}
