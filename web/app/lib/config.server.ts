import type { AppLoadContext } from "@remix-run/node";
import type { ClickHouseClient } from "@clickhouse/client";
import { loadWebEnv } from "../../server/env";

/** What the web server hands every request: where the router is and what signs the session cookie. */
export type WebConfig = { routerUrl: string; sessionSecret: string };

declare module "@remix-run/node" {
  interface AppLoadContext {
    web?: WebConfig;
    /** Where dashboards and exports read: the embedded chdb client or a ClickHouse server. Absent: no analytics. */
    clickhouse?: ClickHouseClient | null;
    clickhouseConcurrency?: number;
  }
}

let fromEnv: WebConfig | undefined;

/** The production server passes its config in the load context; `remix vite:dev` has none, so read the env. */
export function webConfig(context: AppLoadContext): WebConfig {
  if (context.web) return context.web;
  fromEnv ??= loadWebEnv();
  return fromEnv;
}

/** The analytics store this request may read, or null when this web server was started without one. */
export function analyticsStore(context: AppLoadContext): ClickHouseClient | null {
  return context.clickhouse ?? null;
}

/** How many statements one page may have in flight on the analytics store. */
export function analyticsConcurrency(context: AppLoadContext): number {
  return context.clickhouseConcurrency ?? 1;
}
