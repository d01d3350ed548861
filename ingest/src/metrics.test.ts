import { describe, expect, it } from "vitest";
import { createIngestMetrics } from "./metrics.js";
import { serveMetrics } from "./metrics-server.js";

describe("ingest's /metrics", () => {
  it("serves lag, batch sizes, insert latency and dead letters in Prometheus text format", async () => {
    const metrics = createIngestMetrics();
    metrics.events.inc({ source: "kafka" }, 1200);
    metrics.deadLetters.inc({ source: "kafka", step: "validate" });
    metrics.batchSize.observe({ source: "kafka" }, 1200);
    metrics.insertSeconds.observe({ source: "kafka" }, 0.042);
    metrics.consumerLag.set({ partition: "2" }, 17);
    const server = await serveMetrics(metrics.registry, "127.0.0.1", 0);
    try {
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/text\/plain/);
      const text = await res.text();
      expect(text).toContain('centralita_ingest_events_total{source="kafka"} 1200');
      expect(text).toContain('centralita_ingest_dead_letters_total{source="kafka",step="validate"} 1');
      expect(text).toContain('centralita_ingest_consumer_lag{partition="2"} 17');
      expect(text).toMatch(/centralita_ingest_batch_size_bucket\{le="2000",source="kafka"\} 1/);
      expect(text).toMatch(/centralita_ingest_insert_seconds_bucket\{le="0.05",source="kafka"\} 1/);
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
