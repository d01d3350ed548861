import { afterAll, describe, expect, it } from "vitest";
import { startOutboxRelay } from "@centralita/router";
import { startHarness } from "../../router/test/support/harness.js";
import { loginAll, seedCompany } from "../../router/test/support/workspace.js";
import { customerWrites } from "../../router/test/support/conversations.js";
import { createInProcessBus, createIngest, createIngestMetrics } from "../../ingest/src/index.js";
import { eventually, outboxSize } from "../../ingest/test/support/wait.js";
import { metricValue, runMetric, type MetricQuery } from "../src/index.js";
import { tempClickHouse } from "./support/clickhouse.js";

// 9:00 in Monterrey/Mexico City (UTC−6) is 15:00 UTC.
const api = await startHarness(new Date("2026-03-02T15:00:00Z"));
const clickhouse = await tempClickHouse();
afterAll(() => clickhouse.close());

const local = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00-06:00`);
const PHONE = "5218112345678";

describe("scenario 6: the 9:00 workflow, through the router API and the pipeline", () => {
  it("shows Ana's FRT, two transfers, Ana's conversion, Carlos with one handled conversation and the pair Ana→Carlos→Ana", async () => {
    const co = await seedCompany(api.db, { ventas: { strategy: "manual" } });
    const t = await loginAll(api, co);
    const step = async (hhmm: string, token: string, path: string, body?: unknown) => {
      api.clock.set(local(hhmm));
      const res = await api.call("POST", `/v1/conversations/${conv.id}${path}`, token, body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    };
    const customer = async (hhmm: string, text: string) => {
      api.clock.set(local(hhmm));
      return customerWrites(api, co.channel.phoneNumberId, PHONE, text, "Roberto");
    };

    const conv = await customer("09:00", "Hola, quiero cotización");
    await step("09:01", t.ana, "/claim");
    await step("09:02", t.ana, "/messages", { text: "¡Hola Roberto! Con gusto te cotizo." });
    await customer("09:05", "¿Hacen envíos a Monterrey?");
    await step("09:06", t.ana, "/messages", { text: "Sí, enviamos a Monterrey." });
    await step("09:07", t.ana, "/notes", { text: "Lead de Monterrey, interesado en producto Y" });
    await customer("09:15", "Por cierto, tuve un problema con un pedido anterior");
    await step("09:16", t.ana, "/transfer", { toAgentId: co.carlos.id, toTeamId: co.soporte.id, reason: "Problema con pedido anterior" });
    await step("09:18", t.carlos, "/messages", { text: "Hola Roberto, reviso tu pedido." });
    await step("09:30", t.carlos, "/transfer", { toAgentId: co.ana.id, toTeamId: co.ventas.id, reason: "Pedido resuelto" });
    await step("09:35", t.ana, "/resolve", { outcome: "won", dealValue: 15800, currency: "MXN" });

    const relay = startOutboxRelay({ sql: api.sql, bus: createInProcessBus(createIngest({ clickhouse: clickhouse.client, source: "embedded", metrics: createIngestMetrics() })), pollMs: 10 });
    await eventually(async () => (await outboxSize(api.sql)) === 0, { what: "the outbox to drain" });
    await relay.stop();

    const day: MetricQuery = { tenantId: co.tenantId, from: local("00:00"), to: new Date(local("00:00").getTime() + 86_400_000), timeZone: "America/Mexico_City" };
    const byKey = async (id: string) => Object.fromEntries((await runMetric(clickhouse.client, id, day)).rows.map((r) => [r.series ? `${r.key}/${r.series}` : r.key, r.value]));
    // Customer at 9:00, Ana's first reply at 9:02.
    expect(await byKey("agent_first_response_time_avg")).toEqual({ [co.ana.id]: 2 * 60 });
    expect(await metricValue(clickhouse.client, "first_response_time_avg", day)).toBe(2 * 60);
    expect(await metricValue(clickhouse.client, "transfers", day)).toBe(2);
    expect(await byKey("agent_conversions")).toEqual({ [co.ana.id]: 1 });
    expect(await byKey("agent_revenue")).toEqual({ [`${co.ana.id}/MXN`]: 15800 });
    expect((await byKey("agent_conversations_handled"))[co.carlos.id]).toBe(1);
    expect(await byKey("transfers_by_pair")).toEqual({ [`${co.ana.id}/${co.carlos.id}`]: 1, [`${co.carlos.id}/${co.ana.id}`]: 1 });
    expect(await byKey("agent_notes_written")).toEqual({ [co.ana.id]: 1 });
  });
});
