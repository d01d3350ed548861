/** One outbox row as it travels on the bus: the envelope's JSON, keyed for per-conversation order. */
export type BusRecord = { id: string; key: string; value: string };

/**
 * Where the relay hands committed events. `publish` resolves only once the records are durable on the other
 * side (Kafka acks from all in-sync replicas, or ClickHouse's ack in the embedded mode); until then the
 * relay keeps the rows.
 */
export type EventBus = {
  readonly name: string;
  publish(records: BusRecord[]): Promise<void>;
  close(): Promise<void>;
};
