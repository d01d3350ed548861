import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { compactCycles, metricValue, readRollupState, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";
import { later, pastWatermark } from "./support/compaction.js";
import { at, History, loadEvents } from "./support/history.js";

const clickhouse = await tempClickHouse();
const client = clickhouse.client;
afterAll(() => clickhouse.close());

const ana = randomUUID();
const h = new History();
const sale = h.conversation({ teamId: randomUUID(), isLead: true });
sale.open(at("2026-03-02T09:00:00")).assign(at("2026-03-02T09:01:00"), ana).agent(at("2026-03-02T09:03:00"));
const day: MetricQuery = { tenantId: h.tenantId, from: at("2026-03-02T00:00:00"), to: at("2026-03-03T00:00:00"), timeZone: "UTC", bucket: "day" };
const sentByAna = async () => (await runMetric(client, "agent_messages_sent", day)).rows.find((r) => r.key === ana)?.value ?? 0;

describe("compaction runs whose clocks disagree", () => {
  it("lets a later run's rows win though its clock is behind the previous run's", async () => {
    await loadEvents(client, h.events);
    // The previous run on a host whose clock is ten seconds ahead (its margin keeps the watermark at the real now).
    await pastWatermark(await compactCycles(client, { now: later(10), safetyMs: 10_000 }));
    expect(await metricValue(client, "conversions", day)).toBe(0);
    expect(await sentByAna()).toBe(1);

    const loaded = h.events.length;
    sale.customer(at("2026-03-02T09:10:00")).agent(at("2026-03-02T09:12:00")).resolve(at("2026-03-02T09:20:00"), { outcome: "won", value: 500, currency: "MXN" });
    await loadEvents(client, h.events.slice(loaded));
    expect(await metricValue(client, "conversions", day)).toBe(1);

    // This host's clock: behind the versions the previous run wrote. Its rows and counts must still be the newest.
    const run = await compactCycles(client, { now: later(0.5), safetyMs: 0 });
    expect(run.cycles).toBe(1);
    await pastWatermark(run);
    expect((await readRollupState(client, h.tenantId)).hot).toEqual([]);
    expect(await metricValue(client, "conversions", day)).toBe(1);
    expect((await runMetric(client, "revenue", day)).rows).toEqual([{ key: "MXN", value: 500 }]);
    expect(await sentByAna()).toBe(2);
  });
});
