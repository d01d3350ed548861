import path from "node:path";
import { z } from "zod";

const schema = z.object({
  HOST: z.string().default("127.0.0.1"),
  /** Unset: embedded ClickHouse (chdb) under CENTRALITA_DATA_DIR/clickhouse. */
  CLICKHOUSE_URL: z.url({ protocol: /^https?$/ }).optional(),
  CENTRALITA_DATA_DIR: z.string().default(path.resolve(import.meta.dirname, "../../.data")),
  KAFKA_BROKERS: z.string().regex(/^[^,\s]+(,[^,\s]+)*$/, "host:port[,host:port…]").optional(),
  INGEST_GROUP_ID: z.string().min(1).default("centralita-ingest"),
  INGEST_FLUSH_ROWS: z.coerce.number().int().min(1).max(200_000).default(5000),
  INGEST_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(200),
  /** Kafka group session: how long a dead consumer's partitions wait before others take them. */
  INGEST_SESSION_TIMEOUT_MS: z.coerce.number().int().min(3000).max(300_000).default(30_000),
  INGEST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Prometheus /metrics; 0 picks a free port. */
  INGEST_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
});

export type IngestEnv = z.infer<typeof schema>;

/** Parsed once at start; a bad setting stops the process with every field's error. */
export function loadIngestEnv(source: NodeJS.ProcessEnv = process.env, opts: { requireKafka?: boolean } = {}): IngestEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  if (opts.requireKafka && !parsed.data.KAFKA_BROKERS) throw new Error("Invalid configuration:\n✖ KAFKA_BROKERS is required to run ingest as its own process");
  return parsed.data;
}

export function clickhouseTarget(env: IngestEnv) {
  return env.CLICKHOUSE_URL ? { url: env.CLICKHOUSE_URL } : { dataDir: path.join(env.CENTRALITA_DATA_DIR, "clickhouse") };
}
