import type { AppLoadContext } from "@remix-run/node";
import { loadWebEnv } from "../../server/env";

/** What the web server hands every request: where the router is and what signs the session cookie. */
export type WebConfig = { routerUrl: string; sessionSecret: string };

declare module "@remix-run/node" {
  interface AppLoadContext {
    web?: WebConfig;
  }
}

let fromEnv: WebConfig | undefined;

/** The production server passes its config in the load context; `remix vite:dev` has none, so read the env. */
export function webConfig(context: AppLoadContext): WebConfig {
  if (context.web) return context.web;
  fromEnv ??= loadWebEnv();
  return fromEnv;
}
