import { NONE } from "../query/cycle-columns.js";
import { NIL_UUID, type CycleMeasures } from "./contributions.js";

/**
 * The hot rows' stored columns (`stints` … `item_span`, `cycle-columns.ts`), derived here from each hot cycle's raw
 * aggregates instead of by ClickHouse: planning those lambdas was 33 of the hot rows' 73 ms (42 hot cycles at 9.7M
 * events), the arithmetic over a few hundred cycles is nothing. Each function is the SQL expression of the same name,
 * which the rollup stores (migrations 0007, 0008, 0017, 0020) and statements without hot rows compute;
 * `test/hot-rows-derived.test.ts` compares both over every cycle of a generated week.
 */

/** What a row's derivation reads (`DERIVE_FROM`): the raw aggregates, the 64-bit instants as text. */
type Msg = [ms: number, kind: number, agent: string, id: string];
type Owner = [ms: number, id: string, assignee: string, type: string];
export type DeriveInput = [msgs: Msg[], owners: Owner[], assignees: string[], responders: string[], firstCustomerMs: string, firstAgentMs: string,
  firstResponder: string, contributing: Omit<CycleMeasures, "exactFrt" | "exactFrtAgent" | "responses" | "stints">];
/** The raw aggregates the derivation and the cycle's contributions (`contributions.ts`) read, as one JSON column of the raw rows' statement. */
export const DERIVE_FROM = `toJSONString((msgs, owners, assignees, responders, toString(first_customer_ms), toString(first_agent_ms), first_responder_agent,
  CAST((channel, team, toString(started_ms_), toString(resolved_ms_), toString(previous_resolved_ms_), is_reopen, prev_resolver, result, resolve_agent,
    deal, cur, csat, transfer_n, tag_set), 'Tuple(channel UUID, team UUID, started String, resolved String, previousResolved String, isReopen UInt8, prevResolver UUID,
    result String, resolveAgent UUID, deal Float64, cur String, csat UInt8, transfers UInt64, tags Array(String))')))`;

type Stint = [agent: string, fromMs: number, toMs: number];
type Response = [waitMs: number, agent: string, runStartMs: number, replyMs: number];

/** Spans between ownership changes (an event whose assignee differs from the previous event's), nil assignees left out. */
function stintsOf(owners: Owner[]): Stint[] {
  const changes = owners.filter((o, i) => i === 0 || o[2] !== owners[i - 1]![2]);
  return changes.map((c, i): Stint => [c[2], c[0], changes[i + 1]?.[0] ?? -1]).filter((s) => s[0] !== NIL_UUID);
}

/** Each answered run of customer messages: (wait, who replied, run start, reply), the k-th run with the k-th reply. */
function responsesOf(msgs: Msg[]): Response[] {
  const previousKind = (i: number) => (i === 0 ? 0 : msgs[i - 1]![1]);
  const runStarts = msgs.filter((m, i) => m[1] === 1 && previousKind(i) !== 1);
  const replies = msgs.filter((m, i) => m[1] === 2 && previousKind(i) === 1);
  return replies.map((r, k) => {
    const start = runStarts[k]![0];
    return [r[0] - start, r[2], start, r[0]];
  });
}

/** (agent, handled, answered runs, their waits, ended stints, their lengths) per agent, in the SQL's order. */
function agentSumsOf(assignees: string[], responders: string[], responses: Response[], stints: Stint[]): string[] {
  const handlers = assignees.filter((a) => responders.includes(a));
  const ended = stints.filter((s) => s[2] !== -1);
  const agents = [...new Set([...handlers, ...responses.map((r) => r[1]), ...ended.map((s) => s[0])])];
  return agents.map((a) => {
    const answered = responses.filter((r) => r[1] === a);
    const held = ended.filter((s) => s[0] === a);
    const sum = (xs: number[]) => xs.reduce((x, y) => x + y, 0);
    return `('${a}',${handlers.includes(a) ? 1 : 0},${answered.length},${sum(answered.map((r) => r[0]))},${held.length},${sum(held.map((s) => s[2] - s[1]))})`;
  });
}

/** The derived columns' names and types, as the rollup has them, in the order `deriveRow` writes them. */
export const DERIVED_COLUMNS: Array<[name: string, type: string]> = [
  ["stints", "Array(Tuple(UUID, Int64, Int64))"], ["responses", "Array(Tuple(Int64, UUID, Int64, Int64))"], ["exact_frt", "Nullable(Float64)"],
  ["exact_frt_agent", "UUID"], ["exact_frt_from_ms", "Int64"], ["exact_frt_to_ms", "Int64"],
  ["agent_sums", "Array(Tuple(UUID, UInt8, UInt32, Int64, UInt32, Int64))"], ["msg_n", "UInt64"], ["responder_n", "UInt64"], ["item_span", "Tuple(Int64, Int64)"],
];

/** One cycle's derived columns as TSV fields (UUIDs, integers and a float only: nothing to escape), and what it contributes to the agent sums. */
export function deriveRow([msgs, owners, assignees, responders, firstCustomer, firstAgent, firstResponder, contributing]: DeriveInput): { fields: string[]; measures: CycleMeasures } {
  const stints = stintsOf(owners);
  const responses = responsesOf(msgs);
  // Only an agent's reopen puts an agent message before the customer's first: then FRT is the first answered run.
  const agentFirst = firstCustomer !== NONE && BigInt(firstAgent) < BigInt(firstCustomer);
  const first = responses[0];
  const fastFrt = firstCustomer !== NONE && firstAgent !== NONE && Number(firstAgent) >= Number(firstCustomer) ? (Number(firstAgent) - Number(firstCustomer)) / 1000 : null;
  const frt = agentFirst ? (first ? first[0] / 1000 : null) : fastFrt;
  const instants = [...responses.map((r) => r[2]), ...stints.filter((s) => s[2] !== -1).map((s) => s[2])];
  const span = instants.length === 0 ? `(${NONE},-${NONE})` : `(${Math.min(...instants)},${Math.max(...instants)})`;
  const frtAgent = agentFirst ? first?.[1] ?? NIL_UUID : firstResponder;
  const fields = [
    `[${stints.map((s) => `('${s[0]}',${s[1]},${s[2]})`).join(",")}]`,
    `[${responses.map((r) => `(${r[0]},'${r[1]}',${r[2]},${r[3]})`).join(",")}]`,
    frt === null ? "\\N" : String(frt),
    frtAgent,
    agentFirst ? String(first?.[2] ?? 0) : firstCustomer,
    agentFirst ? String(first?.[3] ?? 0) : firstAgent,
    `[${agentSumsOf(assignees, responders, responses, stints).join(",")}]`,
    String(msgs.length),
    String(responders.length),
    span,
  ];
  return { fields, measures: { ...contributing, exactFrt: frt, exactFrtAgent: frtAgent, responses, stints } };
}
