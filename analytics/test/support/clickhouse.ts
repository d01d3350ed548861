import type { ClickHouseClient } from "@clickhouse/client";
export { tempClickHouse } from "../../../ingest/test/support/clickhouse.js";

/** What a test sees of a statement as it is sent: its text and parameters. */
export type SentQuery = { query: string; query_params?: Record<string, unknown> };

/**
 * The client, with every statement it sends (`query`, `command`) shown to `seen` first: for tests that check what was
 * sent, or how often.
 */
export function watchingQueries(client: ClickHouseClient, seen: (sent: SentQuery) => void): ClickHouseClient {
  return new Proxy(client, {
    get: (target, name) => {
      if (name === "query") return (args: Parameters<ClickHouseClient["query"]>[0]) => (seen(args as SentQuery), target.query(args));
      if (name === "command") return (args: Parameters<ClickHouseClient["command"]>[0]) => (seen(args as SentQuery), target.command(args));
      return Reflect.get(target, name);
    },
  });
}
