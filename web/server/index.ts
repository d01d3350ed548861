import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Server } from "node:http";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { ClickHouseClient } from "@clickhouse/client";

export const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const serverBuildPath = path.join(webRoot, "build/server/index.js");

export type WebServerOptions = {
  routerUrl: string; sessionSecret: string; port?: number; host?: string;
  /** Dashboards and exports read here; without it they say analytics is not configured. */
  clickhouse?: ClickHouseClient | null;
  /** Statements a dashboard may run at once: a ClickHouse server overlaps them; embedded chdb runs one at a time. */
  clickhouseConcurrency?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void };
export type RunningWebServer = { url: string; server: Server; stop: () => Promise<void> };

/**
 * The inbox web app from its production build (run `npm run build -w web` first), as an HTTP server. The
 * embedded launcher can start it in the router's process; it only needs the router's URL and a secret.
 */
export async function createWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  if (!existsSync(serverBuildPath)) throw new Error(`No web build at ${serverBuildPath}: run npm run build -w web`);
  const build = (await import(pathToFileURL(serverBuildPath).href)) as ServerBuild;
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use("/assets", express.static(path.join(webRoot, "build/client/assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(webRoot, "build/client"), { maxAge: "1h" }));
  app.use((_req, res, next) => {
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    next();
  });
  const web = { routerUrl: options.routerUrl.replace(/\/$/, ""), sessionSecret: options.sessionSecret };
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: () => ({ web, clickhouse: options.clickhouse ?? null, clickhouseConcurrency: options.clickhouseConcurrency ?? 1 }) }));
  const server = app.listen(options.port ?? 3000, options.host ?? "127.0.0.1");
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;
  options.log?.("web listening", { url, router: web.routerUrl });
  return {
    url,
    server,
    stop: () => new Promise((resolve) => {
      // Live streams never end by themselves: drop them so close() does not wait for them.
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
