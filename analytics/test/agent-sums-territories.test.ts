import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, type MetricQuery } from "../src/index.js";
import { NO_ROLLUP } from "../src/rollup/state.js";
import { agentBoard, readsResolvesFromCycles as readsResolvesFromCyclesIn } from "./support/agent-board.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";
import { mean } from "./support/stats.js";

/**
 * The agent sums per territory (migration 0026), and per tag with it (0027): each contribution of a cycle with a
 * territory (its conversation's, as the rollup stores it) is written under it, and under each of its cycle's tags with
 * it, so a territory's view of the agent board, with a tag or not, reads its whole days summed. An opening that arrives
 * late, or past cycle 1, moves its conversation's compacted cycles to its territory; until the next run writes them
 * again their sums are under the old one, so a territory's view reads from that conversation's earliest fact on from
 * the cycles.
 */
const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const [ana, carlos, team] = [randomUUID(), randomUUID(), randomUUID()];
const h = new History();
const chat = (territory: string) => h.conversation({ teamId: team, territory });
/** The events `write` adds, taken out of the history's first load. */
const heldBack = (write: () => void) => {
  const from = h.events.length;
  write();
  return h.events.splice(from);
};
// N1 (Norte), 03-03: Ana answers in 4 min, resolves in an hour, CSAT 5. S1 (Sur), 03-03: Carlos answers in 3 min, resolves in 30.
chat("Norte").open(at("2026-03-03T09:00")).assign(at("2026-03-03T09:01"), ana).agent(at("2026-03-03T09:04")).resolve(at("2026-03-03T10:00")).csat(at("2026-03-03T10:00"), 5);
chat("Sur").open(at("2026-03-03T11:00")).assign(at("2026-03-03T11:01"), carlos).agent(at("2026-03-03T11:03")).resolve(at("2026-03-03T11:30"));
// X (Sur), 03-04: Ana answers in 5 min and resolves at 09:30; the customer reopens at 12:00, Carlos answers in 4 min and
// wins 500 MXN at 13:00; the second cycle is tagged vip. Its first cycle (the opening) arrives only after the second was
// compacted.
const x = chat("Sur");
const xFirstCycle = heldBack(() => x.open(at("2026-03-04T09:00")).assign(at("2026-03-04T09:01"), ana).agent(at("2026-03-04T09:05")).resolve(at("2026-03-04T09:30")));
x.reopen(at("2026-03-04T12:00")).tag(at("2026-03-04T12:00"), "vip").assign(at("2026-03-04T12:01"), carlos).agent(at("2026-03-04T12:04"))
  .resolve(at("2026-03-04T13:00"), { outcome: "won", value: 500, currency: "MXN" });
// Y (Norte), 03-05, tagged vip: Ana answers in 3 min and resolves at 08:30. At 15:00 an opening counts a second cycle,
// in Sur, tagged vip too, and Carlos answers it in 2 min: the conversation's territory is then Sur (the greatest of its
// cycles'), its first cycle's too.
const y = chat("Norte");
y.open(at("2026-03-05T08:00")).tag(at("2026-03-05T08:00"), "vip").assign(at("2026-03-05T08:01"), ana).agent(at("2026-03-05T08:03")).resolve(at("2026-03-05T08:30"));
const ySecondOpening = heldBack(() => {
  y.cycle = 2;
  h.add("conversation.opened", { conversationId: y.id, contactId: y.contactId, teamId: team, agentId: null }, {
    cycle: 2, team_id: team, department: null, territory: "Sur", is_new_contact: false, out_of_hours: false, is_lead: false, routed_by: "default",
  }, at("2026-03-05T15:00"));
  y.customer(at("2026-03-05T15:00")).tag(at("2026-03-05T15:00"), "vip").assign(at("2026-03-05T15:01"), carlos).agent(at("2026-03-05T15:02"));
});
await loadEvents(client, h.events);

const days: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-03T00:00"), to: at("2026-03-06T00:00"), timeZone: "UTC" };
const inTerritory = (territory: string, tag?: string): MetricQuery => ({ ...days, filters: { territory, ...(tag ? { tag } : {}) } });
const state = () => readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true, territory: true });
const board = (q: MetricQuery) => agentBoard(client, q);
const readsResolvesFromCycles = async (q: MetricQuery) => readsResolvesFromCyclesIn(q, await state());
const both = async (tag?: string) => ({ Norte: await board(inTerritory("Norte", tag)), Sur: await board(inTerritory("Sur", tag)) });
const bothFromFacts = async (tag?: string) => ({
  Norte: await board({ ...inTerritory("Norte", tag), rollup: NO_ROLLUP }), Sur: await board({ ...inTerritory("Sur", tag), rollup: NO_ROLLUP }),
});
const nothing = { agent_conversations_resolved: {}, agent_resolution_time_avg: {}, agent_csat_avg: {}, agent_revenue: {}, agent_first_response_time_avg: {}, agent_reopen_rate: {} };

// By hand. Norte: N1 (Ana: 1 h, CSAT 5, 240 s) and Y's first cycle (Ana: 30 min, 180 s), until Y moves to Sur.
const norte = {
  ...nothing, agent_conversations_resolved: { [ana]: 2 }, agent_resolution_time_avg: { [ana]: mean([3600, 1800]) }, agent_csat_avg: { [ana]: 5 },
  agent_first_response_time_avg: { [ana]: mean([240, 180]) },
};
const norteWithoutY = { ...norte, agent_conversations_resolved: { [ana]: 1 }, agent_resolution_time_avg: { [ana]: 3600 }, agent_first_response_time_avg: { [ana]: 240 } };
// Sur: S1 (Carlos: 30 min, 180 s); X's second cycle has no territory until its opening arrives.
const surWithoutX = { ...nothing, agent_conversations_resolved: { [carlos]: 1 }, agent_resolution_time_avg: { [carlos]: 1800 }, agent_first_response_time_avg: { [carlos]: 180 } };
// With X: Ana's first cycle (30 min, 300 s), reopened (1 of 1); Carlos's second (1 h, 240 s, 500 MXN).
const sur = {
  ...nothing, agent_conversations_resolved: { [ana]: 1, [carlos]: 2 }, agent_resolution_time_avg: { [ana]: 1800, [carlos]: mean([1800, 3600]) },
  agent_revenue: { [`${carlos}/MXN`]: 500 }, agent_first_response_time_avg: { [ana]: 300, [carlos]: mean([180, 240]) }, agent_reopen_rate: { [ana]: 1 },
};
// With Y too: its first cycle (Ana: 30 min, 180 s, not reopened: 1 of 2) and second (Carlos: 120 s, open).
const surWithY = {
  ...sur, agent_conversations_resolved: { [ana]: 2, [carlos]: 2 }, agent_resolution_time_avg: { [ana]: 1800, [carlos]: mean([1800, 3600]) },
  agent_first_response_time_avg: { [ana]: mean([300, 180]), [carlos]: mean([180, 240, 120]) }, agent_reopen_rate: { [ana]: 0.5 },
};

// vip with Norte: Y's first cycle (Ana: 30 min, 180 s), until Y moves to Sur.
const norteVip = { ...nothing, agent_conversations_resolved: { [ana]: 1 }, agent_resolution_time_avg: { [ana]: 1800 }, agent_first_response_time_avg: { [ana]: 180 } };
// vip with Sur: X's second cycle once its opening is in (Carlos: 1 h, 240 s, 500 MXN; the reopen it makes counts to
// Ana, who resolves no vip cycle in Sur yet).
const surVip = {
  ...nothing, agent_conversations_resolved: { [carlos]: 1 }, agent_resolution_time_avg: { [carlos]: 3600 }, agent_revenue: { [`${carlos}/MXN`]: 500 },
  agent_first_response_time_avg: { [carlos]: 240 },
};
// With Y: its first cycle (Ana: 30 min, 180 s; with X's reopen, 1 reopen of 1 resolve) and second (Carlos: 120 s).
const surVipWithY = {
  ...surVip, agent_conversations_resolved: { [ana]: 1, [carlos]: 1 }, agent_resolution_time_avg: { [ana]: 1800, [carlos]: 3600 },
  agent_first_response_time_avg: { [ana]: 180, [carlos]: mean([240, 120]) }, agent_reopen_rate: { [ana]: 1 },
};

/** Each territory's view, then each with the vip tag. */
const expectViews = async (plain: Awaited<ReturnType<typeof both>>, vip: Awaited<ReturnType<typeof both>>) => {
  expect(await both()).toEqual(plain);
  expect(await both("vip")).toEqual(vip);
};

describe("the agent sums per territory", () => {
  it("answer a territory's view from the sums alone, as its cycles do", async () => {
    await expectViews({ Norte: norte, Sur: surWithoutX }, { Norte: norteVip, Sur: nothing });
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    expect(await readsResolvesFromCycles(inTerritory("Sur"))).toBe(false);
    expect(await readsResolvesFromCycles(inTerritory("Norte", "vip"))).toBe(false);
    await expectViews({ Norte: norte, Sur: surWithoutX }, { Norte: norteVip, Sur: nothing });
    // A tag no cycle of the territory has.
    expect(await board(inTerritory("Norte", "queja"))).toEqual(nothing);
  });

  it("count a late opening's compacted sibling in its territory, before the next run and after", async () => {
    await loadEvents(client, xFirstCycle);
    await expectViews({ Norte: norte, Sur: sur }, { Norte: norteVip, Sur: surVip });
    await pastWatermark(await compactCycles(client, { now: later(2), safetyMs: 0 }));
    expect(await readsResolvesFromCycles(inTerritory("Sur"))).toBe(false);
    expect(await readsResolvesFromCycles(inTerritory("Sur", "vip"))).toBe(false);
    await expectViews({ Norte: norte, Sur: sur }, { Norte: norteVip, Sur: surVip });
  });

  it("move a conversation's compacted cycles with an opening past cycle 1, before the next run and after", async () => {
    await loadEvents(client, ySecondOpening);
    // Y's second cycle is hot and carries a territory: from its conversation's first fact (08:00) on, the cycles. Its
    // first cycle is summed under Norte until the next run; read from the sums it would still count there.
    expect(await state()).toMatchObject({ hotConversationsFloorMs: at("2026-03-05T08:00").getTime() });
    expect(await readsResolvesFromCycles(inTerritory("Sur"))).toBe(true);
    expect(await readsResolvesFromCycles(inTerritory("Norte", "vip"))).toBe(true);
    await expectViews({ Norte: norteWithoutY, Sur: surWithY }, { Norte: nothing, Sur: surVipWithY });
    // A state read without asking for that floor reads no sums for a territory while a cycle is hot.
    const withoutFloor = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true, agentSums: true });
    expect(readsResolvesFromCyclesIn(inTerritory("Sur"), withoutFloor)).toBe(true);
    await pastWatermark(await compactCycles(client, { now: later(3), safetyMs: 0 }));
    expect(await readsResolvesFromCycles(inTerritory("Sur"))).toBe(false);
    expect(await readsResolvesFromCycles(inTerritory("Sur", "vip"))).toBe(false);
    await expectViews({ Norte: norteWithoutY, Sur: surWithY }, { Norte: nothing, Sur: surVipWithY });
    expect(await both()).toEqual(await bothFromFacts());
    expect(await both("vip")).toEqual(await bothFromFacts("vip"));
  });
});
