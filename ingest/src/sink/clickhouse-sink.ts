import type { ClickHouseClient } from "@clickhouse/client";
import type { DeadLetter, EventRow } from "../pipeline/steps.js";

export type RetryPolicy = {
  /** Attempts before giving up; Infinity keeps trying (the Kafka path: the offset waits meanwhile). */
  maxAttempts: number;
  /** Called between attempts: the Kafka path heartbeats here so the group does not evict a waiting consumer. */
  onWait?: () => Promise<void>;
  shouldStop?: () => boolean;
  onFailure?: (error: unknown, attempt: number) => void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries ClickHouse writes with capped, jittered backoff; ClickHouse being down is an outage, not bad data. */
export async function withRetry<T>(work: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      policy.onFailure?.(error, attempt);
      if (attempt >= policy.maxAttempts || policy.shouldStop?.()) throw error;
      const delay = Math.min(100 * 2 ** (attempt - 1), 5000) * (0.5 + Math.random() / 2);
      const until = Date.now() + delay;
      while (Date.now() < until) {
        await policy.onWait?.();
        await sleep(Math.min(1000, until - Date.now()));
      }
    }
  }
}

export async function insertEvents(client: ClickHouseClient, rows: EventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await client.insert({ table: "events", values: rows, format: "JSONEachRow" });
}

export async function insertDeadLetters(client: ClickHouseClient, source: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  await client.insert({
    table: "dead_letters",
    format: "JSONEachRow",
    values: letters.map((l) => ({
      source,
      step: l.step,
      reason: l.reason.slice(0, 2000),
      event_id: l.eventId,
      tenant_id: l.tenantId,
      message_key: l.message.key ?? "",
      kafka_partition: l.message.partition ?? -1,
      kafka_offset: l.message.offset === undefined ? -1 : Number(l.message.offset),
      raw: l.message.value.slice(0, 100_000),
    })),
  });
}
