import { randomUUID } from "node:crypto";
import type { ClickHouseClient } from "@clickhouse/client";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, readRollupState, runDashboard, type MetricQuery, type PanelResult } from "../src/index.js";
import { MAX_PARAM_BYTES, paramBytes } from "../src/query/input.js";
import { tempClickHouse, watchingQueries } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

/**
 * A ClickHouse server refuses a parameter past 128 KiB by default, and a statement is sent only the hot rows' columns it
 * reads. The live board reads every message and ownership change of its cycles: with forty long conversations hot its
 * share outgrows a parameter, so that statement re-aggregates the hot facts itself, while the response board, reading
 * less of the same rows, is still sent them. Either way the numbers are those of the same events compacted.
 */
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const [ana, carlos] = [randomUUID(), randomUUID()];
const h = new History();
const day2 = (hhmm: string, seconds = 0) => new Date(at(`2026-03-02T${hhmm}:00`).getTime() + seconds * 1000);
// Forty conversations of forty messages (twenty customer, twenty agent replies, the last a reply), half Ana's, half
// Carlos'; then, once compacted, a customer message in each, conversation i's at 10:00 plus i minutes.
const conversations = Array.from({ length: 40 }, (_, i) => {
  const c = h.conversation();
  c.open(day2("08:00", i)).assign(day2("08:01", i), i % 2 === 0 ? ana : carlos).agent(day2("08:02", i));
  for (let k = 1; k < 20; k++) c.customer(day2(`08:${String(2 + 2 * k).padStart(2, "0")}`, i)).agent(day2(`08:${String(3 + 2 * k).padStart(2, "0")}`, i));
  return c;
});
const compacted = h.events.length;
conversations.forEach((c, i) => c.customer(day2(`10:${String(i).padStart(2, "0")}`)));

const live: MetricQuery = { tenantId: h.tenantId, from: day2("00:00"), to: day2("12:00"), timeZone: "UTC", bucket: "day" };
const values = (panels: PanelResult[]) => Object.fromEntries(panels.map((p) => [p.metricId, p.result?.rows.map((r) => [r.key ?? r.bucket ?? "", r.value])]));

/** Every statement's parameters as sent, by whether its text reads the hot rows. */
function recording(client: ClickHouseClient) {
  const sent: Array<{ readsHotRows: boolean; hotRows: string }> = [];
  const watched = watchingQueries(client, ({ query, query_params }) => {
    if (query.includes(" AS panel")) sent.push({ readsHotRows: query.includes("{hot_rows:String}"), hotRows: String(query_params?.hot_rows ?? "") });
  });
  return { client: watched, sent };
}

describe("hot rows larger than a parameter", () => {
  it("re-aggregates the hot facts in the statement whose share would not fit, and the numbers are the compacted ones", async () => {
    const { client, sent } = recording(clickhouse.client);
    await loadEvents(client, h.events.slice(0, compacted));
    await pastWatermark(await compactCycles(client, { now: later(1), safetyMs: 0 }));
    await loadEvents(client, h.events.slice(compacted));

    const state = await readRollupState(client, h.tenantId, { hotRowsAtOnce: true });
    expect(state.hot).toHaveLength(40);
    expect(state.hotRows).toBeDefined();
    const hot = { live: values(await runDashboard(client, "live_operations", { ...live, rollup: state })), response: values(await runDashboard(client, "response_times", { ...live, rollup: state })) };
    const [liveSent, responseSent] = sent;
    expect(liveSent).toEqual({ readsHotRows: false, hotRows: "" });
    expect(responseSent!.readsHotRows).toBe(true);
    expect(paramBytes(responseSent!.hotRows)).toBeGreaterThan(0);
    expect(paramBytes(responseSent!.hotRows)).toBeLessThanOrEqual(MAX_PARAM_BYTES);

    // By hand: forty open chats, each waiting on a reply since its 10:xx message, twenty each; the oldest since 10:00.
    expect(hot.live.open_now).toEqual([["", 40]]);
    expect(hot.live.unassigned_now).toEqual([["", 0]]);
    expect(hot.live.oldest_waiting_now).toEqual([["", 2 * 3600]]);
    expect(Object.fromEntries(hot.live.active_chats_by_agent_now!)).toEqual({ [ana]: 20, [carlos]: 20 });

    await compactCycles(client, { now: later(1), safetyMs: 0 });
    expect((await readRollupState(client, h.tenantId)).hot).toEqual([]);
    expect(values(await runDashboard(client, "live_operations", live))).toEqual(hot.live);
    expect(values(await runDashboard(client, "response_times", live))).toEqual(hot.response);
  });
});
